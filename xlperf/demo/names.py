"""Names for demo people and companies, drawn vectorised (50 000 names in milliseconds)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

StrArray = npt.NDArray[np.str_]

SURNAMES_ZH = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN_ZH = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建飞燕文宇浩凯鑫婷雪琳晨阳欣怡思佳俊峰海波宁博轩睿泽晓梅丹蕾瑶涵颖倩慧聪晶彬斌凤春")
SURNAMES_EN = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
               "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng"]
GIVEN_EN = ["Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong", "Yan", "Jie", "Juan",
            "Tao", "Ming", "Chao", "Xia", "Ping", "Gang", "Hua", "Yu", "Lan", "Peng", "Hui", "Hong", "Fei", "Wen",
            "Hao", "Kai", "Xin", "Ting", "Xue", "Lin", "Chen", "Yi", "Jia", "Jun", "Feng", "Bo", "Ning", "Rui"]

VENDOR_PREFIX_ZH = ["华信", "博远", "联创", "中科", "汇通", "安达", "恒泰", "鼎盛", "瑞丰", "万科", "金桥", "天成", "宏达",
                    "新锐", "智联", "东方", "德邦", "长城", "嘉和", "启明", "星河", "正元", "卓越", "凯旋", "同舟"]
VENDOR_CORE_ZH = ["人力资源", "企业服务", "劳务派遣", "外包服务", "物业管理", "信息技术", "后勤服务", "人才服务"]
VENDOR_SUFFIX_ZH = ["有限公司", "股份有限公司", "集团有限公司"]
VENDOR_PREFIX_EN = ["Huaxin", "Boyuan", "Lianchuang", "Zhongke", "Huitong", "Anda", "Hengtai", "Dingsheng", "Ruifeng",
                    "Jinqiao", "Tiancheng", "Hongda", "Xinrui", "Zhilian", "Dongfang", "Debang", "Changcheng", "Jiahe",
                    "Qiming", "Xinghe", "Zhengyuan", "Zhuoyue", "Kaixuan", "Tongzhou", "Wanke"]
VENDOR_CORE_EN = ["Staffing", "Business Services", "Labour Services", "Outsourcing", "Facility Services", "IT Services",
                  "Support Services", "Talent Services"]
VENDOR_SUFFIX_EN = ["Ltd", "Co., Ltd", "Group Ltd"]


def person_names(rng: np.random.Generator, n: int, lang: str) -> StrArray:
    if lang == "zh":
        sur = rng.choice(np.array(SURNAMES_ZH), n)
        g1 = rng.choice(np.array(GIVEN_ZH), n)
        g2 = rng.choice(np.array(GIVEN_ZH + [""] * 40), n)  # about a third have one-character given names
        return np.char.add(np.char.add(sur, g1), g2)
    sur = rng.choice(np.array(SURNAMES_EN), n)
    given = np.char.add(rng.choice(np.array(GIVEN_EN), n), np.char.lower(rng.choice(np.array(GIVEN_EN + [""] * 30), n)))
    return np.char.add(np.char.add(given, " "), sur)


def vendor_names(rng: np.random.Generator, n: int, lang: str) -> list[str]:
    prefix, core, suffix = ((VENDOR_PREFIX_ZH, VENDOR_CORE_ZH, VENDOR_SUFFIX_ZH) if lang == "zh"
                            else (VENDOR_PREFIX_EN, VENDOR_CORE_EN, VENDOR_SUFFIX_EN))
    combos = [(p, c) for p in prefix for c in core]
    picked = rng.permutation(len(combos))[:n]  # distinct names
    sep = "" if lang == "zh" else " "
    sfx = rng.choice(np.array(suffix), n, p=[0.7, 0.2, 0.1])
    return [f"{combos[i][0]}{sep}{combos[i][1]}{sep}{s}" for i, s in zip(picked, sfx)]
