"""The built Excel templates (xlperf.xlsm, xlperf_en.xlsm) and their text sources (src/).

A package only so that `pip install` ships these files beside `xlperf`; it holds no code.
"""
