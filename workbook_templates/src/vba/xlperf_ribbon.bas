Attribute VB_Name = "xlperf_ribbon"
' xlperf ribbon callbacks: one Sub per button of customUI14.xml (tab "Performance").
'
' Each callback runs the matching function of the Python module xlperf.macros through the
' xlwings RunPython call, against this workbook. Python does the work: it reads and writes the
' tables in bulk, shows progress in the status bar, shows the summary dialog and, on failure,
' a readable message with the path of its log. This side only checks that the configured Python
' exists, sets the first status text, and afterwards puts the status bar, cursor, screen updating
' and calculation mode back, so that even a Python process that died leaves Excel as it was.
'
' Texts in the user's language come from XpT(key), in the module xlperf_text that the template
' build generates per language (xlperf.excel.vba_sources), so this source is the same for both.
Option Explicit

Private xpCalculation As Long

Public Sub XpValidate(control As IRibbonControl)
    If Not XpBegin(XpT("busy_validate")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.validate()")
    Exit Sub
failed:
    XpFail
End Sub

Public Sub XpRecomputeAll(control As IRibbonControl)
    If Not XpBegin(XpT("busy_recompute_all")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.recompute_all()")
    Exit Sub
failed:
    XpFail
End Sub

Public Sub XpRecomputeCurrent(control As IRibbonControl)
    If Not XpBegin(XpT("busy_recompute_current")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.recompute_current()")
    Exit Sub
failed:
    XpFail
End Sub

Public Sub XpFeedback(control As IRibbonControl)
    If Not XpBegin(XpT("busy_feedback")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.feedback()")
    Exit Sub
failed:
    XpFail
End Sub

Public Sub XpShare(control As IRibbonControl)
    If Not XpBegin(XpT("busy_share")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.share()")
    Exit Sub
failed:
    XpFail
End Sub

Public Sub XpDoctor(control As IRibbonControl)
    If Not XpBegin(XpT("busy_doctor")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.doctor()")
    Exit Sub
failed:
    XpFail
End Sub

Private Function XpBegin(busyText As String) As Boolean
    ' A configured interpreter that does not exist would only give xlwings' bare
    ' "Could not find Interpreter!": say what to do instead.
    Dim interpreter As String
    #If Not Mac Then
        interpreter = GetConfig("INTERPRETER_WIN", "")
        If interpreter <> "" And LCase$(interpreter) <> "python" And LCase$(interpreter) <> "pythonw" Then
            If Not FileExists(interpreter) Then
                MsgBox XpT("no_interpreter") & vbLf & vbLf & interpreter, vbCritical, XpT("title")
                Exit Function
            End If
        End If
    #End If
    xpCalculation = Application.Calculation
    Application.Cursor = xlWait
    Application.StatusBar = busyText
    XpBegin = True
End Function

Private Sub XpFail()
    ' A VBA error around RunPython itself (e.g. WScript blocked by policy): restore Excel, then say so.
    Dim description As String
    description = Err.Description
    XpEnd Empty
    MsgBox XpT("python_failed") & vbLf & vbLf & description, vbExclamation, XpT("title")
End Sub

Private Sub XpEnd(rc As Variant)
    ' RunPython gives -1 when the Python process failed before xlperf could report anything
    ' (Python or xlperf missing); xlwings has then shown the raw output already.
    On Error Resume Next
    Application.StatusBar = False
    Application.Cursor = xlDefault
    Application.ScreenUpdating = True
    If Application.Calculation <> xpCalculation Then Application.Calculation = xpCalculation
    On Error GoTo 0
    If VarType(rc) <> vbEmpty Then
        If rc = -1 Then MsgBox XpT("python_failed"), vbExclamation, XpT("title")
    End If
End Sub

Public Sub XpSimulate(control As IRibbonControl)
    If Not XpBegin(XpT("busy_simulate")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.simulate()")
    Exit Sub
failed:
    XpFail
End Sub

Public Sub XpAnalyze(control As IRibbonControl)
    If Not XpBegin(XpT("busy_analyze")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.analyze()")
    Exit Sub
failed:
    XpFail
End Sub

' issue 16: refresh monitoring data - the sources table grouped into the observations (xlperf pull)
Public Sub XpPull(control As IRibbonControl)
    If Not XpBegin(XpT("busy_pull")) Then Exit Sub
    On Error GoTo failed
    XpEnd RunPython("import xlperf.macros as m; m.pull()")
    Exit Sub
failed:
    XpFail
End Sub
