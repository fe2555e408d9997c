"""The fixed tables behind the demo county: its schools, groups, pairings, names and titles."""

COUNTY = {"code": "500230", "name": "丰都县", "province": "重庆市", "city": "重庆市"}

# (name, stage, locale, weak, primary students, junior students) in the year before the
# current one; 4 digits after the county code make the school code, in this order.
SCHOOLS = [
    ("丰都县实验小学", "primary", "urban", False, 2300, 0),
    ("丰都县三合小学", "primary", "urban", False, 1900, 0),
    ("丰都县名山小学", "primary", "urban", False, 1500, 0),
    ("丰都县滨江小学", "primary", "urban", False, 1200, 0),
    ("丰都县第二中学", "junior", "urban", False, 0, 1700),
    ("丰都县实验中学", "junior", "urban", False, 0, 1400),
    ("丰都县平都中学", "junior", "urban", False, 0, 1200),
    ("丰都县龙河镇中心小学", "primary", "town", False, 760, 0),
    ("丰都县高家镇中心小学", "primary", "town", False, 720, 0),
    ("丰都县社坛镇中心小学", "primary", "town", False, 640, 0),
    ("丰都县包鸾镇中心小学", "primary", "town", False, 560, 0),
    ("丰都县树人镇中心小学", "primary", "town", False, 600, 0),
    ("丰都县兴义镇中心小学", "primary", "town", False, 520, 0),
    ("丰都县十直镇中心小学", "primary", "town", True, 480, 0),
    ("丰都县湛普镇中心小学", "primary", "town", False, 440, 0),
    ("丰都县龙河镇中学", "junior", "town", False, 0, 640),
    ("丰都县高家镇中学", "junior", "town", False, 0, 600),
    ("丰都县社坛镇中学", "junior", "town", False, 0, 480),
    ("丰都县包鸾镇中学", "junior", "town", False, 0, 440),
    ("丰都县树人中学", "junior", "town", False, 0, 520),
    ("丰都县董家镇九年一贯制学校", "nine_year", "town", False, 450, 250),
    ("丰都县三建乡九年一贯制学校", "nine_year", "rural", True, 260, 150),
    ("丰都县都督乡九年一贯制学校", "nine_year", "rural", True, 220, 120),
    ("丰都县太平坝乡九年一贯制学校", "nine_year", "rural", False, 180, 100),
    ("丰都县栗子乡中心小学", "primary", "rural", False, 320, 0),
    ("丰都县青龙乡中心小学", "primary", "rural", False, 280, 0),
    ("丰都县暨龙镇中心小学", "primary", "rural", False, 300, 0),
    ("丰都县南天湖镇中心小学", "primary", "rural", True, 260, 0),
    ("丰都县许明寺镇中心小学", "primary", "rural", False, 350, 0),
    ("丰都县三元镇中心小学", "primary", "rural", False, 330, 0),
    ("丰都县江池镇中学", "junior", "rural", False, 0, 380),
    ("丰都县武平镇中学", "junior", "rural", True, 0, 320),
    ("丰都县包鸾镇飞仙洞村小学", "primary", "rural", True, 90, 0),
    ("丰都县龙河镇鱼泉村小学", "primary", "rural", False, 110, 0),
    ("丰都县高家镇关圣村小学", "primary", "rural", False, 75, 0),
    ("丰都县社坛镇燕子村小学", "primary", "rural", True, 60, 0),
    ("丰都县十直镇楠竹村小学", "primary", "rural", False, 70, 0),
    ("丰都县兴义镇长江村小学", "primary", "rural", False, 95, 0),
    ("丰都县三元镇大堰村小学", "primary", "rural", False, 55, 0),
    ("丰都县树人镇小河村小学", "primary", "rural", False, 80, 0),
]

# Students per teacher by locale and section; village schools get a minimum staff instead.
STUDENTS_PER_TEACHER = {
    ("urban", "primary"): 19, ("town", "primary"): 17, ("rural", "primary"): 13,
    ("urban", "junior"): 14, ("town", "junior"): 13, ("rural", "junior"): 11,
}
MINIMUM_STAFF = {"primary": 5, "junior": 12}

# Yearly change of enrolment: the town centre grows, villages empty slowly.
ENROLMENT_TREND = {"urban": 0.015, "town": -0.01, "rural": -0.035}

# (code, name, kind, lead school, members as (school, joined year-month-day, left or None)).
GROUPS = [
    ("FD-G01", "丰都县实验小学教育集团", "tight", "丰都县实验小学", [
        ("丰都县实验小学", "2019-09-01", None),
        ("丰都县滨江小学", "2019-09-01", None),
        ("丰都县湛普镇中心小学", "2019-09-01", "2024-08-31"),
        ("丰都县龙河镇中心小学", "2020-09-01", None),
        ("丰都县栗子乡中心小学", "2020-09-01", None),
        ("丰都县包鸾镇飞仙洞村小学", "2021-09-01", None),
        ("丰都县社坛镇燕子村小学", "+0-09-01", None),
    ]),
    ("FD-G02", "丰都县第二中学城乡学校共同体", "urban_rural", "丰都县第二中学", [
        ("丰都县第二中学", "2021-09-01", None),
        ("丰都县龙河镇中学", "2021-09-01", None),
        ("丰都县江池镇中学", "2021-09-01", None),
        ("丰都县三建乡九年一贯制学校", "2021-09-01", None),
        ("丰都县都督乡九年一贯制学校", "2022-09-01", None),
        ("丰都县武平镇中学", "-1-09-01", None),
    ]),
]
# A date written "+k-MM-DD" / "-k-MM-DD" is relative to the current school year, so the
# "recently joined" member stays recent whenever the demo is seeded.

# 结对帮扶: (helper, helped, start, end or None).
PAIRINGS = [
    ("丰都县实验小学", "丰都县十直镇中心小学", "2021-09-01", None),
    ("丰都县三合小学", "丰都县青龙乡中心小学", "2020-09-01", None),
    ("丰都县三合小学", "丰都县高家镇关圣村小学", "2021-03-01", None),
    ("丰都县三合小学", "丰都县三元镇中心小学", "2024-09-01", None),
    ("丰都县名山小学", "丰都县暨龙镇中心小学", "2019-09-01", None),
    ("丰都县名山小学", "丰都县南天湖镇中心小学", "2022-09-01", None),
    ("丰都县滨江小学", "丰都县三元镇中心小学", "2019-09-01", "2024-08-31"),
    ("丰都县实验中学", "丰都县太平坝乡九年一贯制学校", "2020-09-01", None),
    ("丰都县平都中学", "丰都县武平镇中学", "2019-09-01", "2023-08-31"),
    ("丰都县社坛镇中心小学", "丰都县社坛镇燕子村小学", "2018-09-01", "2022-08-31"),
    ("丰都县高家镇中心小学", "丰都县十直镇楠竹村小学", "2022-09-01", None),
    ("丰都县龙河镇中心小学", "丰都县龙河镇鱼泉村小学", "2020-09-01", None),
    ("丰都县树人镇中心小学", "丰都县树人镇小河村小学", "2023-03-01", None),
]

# The rural member school of the first group whose principal signs in as the school user.
DEMO_SCHOOL = "丰都县栗子乡中心小学"

# Surnames weighted roughly by their share of the population.
SURNAMES = (
    "王" * 72 + "李" * 70 + "张" * 66 + "刘" * 54 + "陈" * 45 + "杨" * 32 + "黄" * 24
    + "赵" * 22 + "吴" * 21 + "周" * 20 + "徐" * 17 + "孙" * 15 + "马" * 15 + "朱" * 13
    + "胡" * 13 + "郭" * 12 + "何" * 12 + "高" * 11 + "林" * 11 + "罗" * 11 + "郑" * 10
    + "梁" * 9 + "谢" * 8 + "宋" * 7 + "唐" * 7 + "许" * 6 + "韩" * 6 + "冯" * 6 + "邓" * 6
    + "曹" * 5 + "彭" * 5 + "曾" * 5 + "肖" * 5 + "田" * 5 + "董" * 4 + "袁" * 4 + "潘" * 4
    + "于" * 3 + "蒋" * 4 + "蔡" * 3 + "余" * 4 + "杜" * 3 + "叶" * 3 + "程" * 3 + "苏" * 3
    + "魏" * 3 + "吕" * 3 + "丁" * 3 + "任" * 3 + "沈" * 2 + "姚" * 2 + "卢" * 2 + "姜" * 2
    + "崔" * 2 + "钟" * 2 + "谭" * 3 + "陆" * 2 + "汪" * 2 + "范" * 2 + "秦" * 2 + "向" * 2
    + "冉" * 2 + "熊" * 2 + "牟" + "黎" + "石" * 2 + "龚" + "傅" + "幸" + "况"
)
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳颖洁红梅兰英秀玉萍春华慧倩晶雯欣悦佳琪蓉莉丹月凤晓瑶"
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊峰波林东海亮志文博建国松成龙川"
GIVEN_COMMON = "小晓春秋思家文宏世永德嘉子一明利红雨"

# Subject shares per section among full-time teachers.
SUBJECT_WEIGHTS = {
    "primary": {"chinese": 30, "math": 25, "english": 8, "science": 6, "politics": 4,
                "music": 7, "art": 6, "pe": 9, "it": 3, "psychology": 1, "labor": 1,
                "other": 2},
    "junior": {"chinese": 16, "math": 16, "english": 15, "physics": 7, "chemistry": 5,
               "biology": 5, "history": 6, "geography": 5, "politics": 7, "music": 4,
               "art": 4, "pe": 8, "it": 3, "psychology": 1, "other": 1},
}
# Music, art and PE teachers are what rural schools lack most.
SCARCE_SUBJECT_FACTOR = {"urban": 1.0, "town": 0.85, "rural": 0.35}

SUBJECT_NAMES = {"chinese": "语文", "math": "数学", "english": "英语", "science": "科学",
                 "physics": "物理", "chemistry": "化学", "biology": "生物", "history": "历史",
                 "geography": "地理", "politics": "道德与法治", "music": "音乐", "art": "美术",
                 "pe": "体育", "it": "信息科技", "psychology": "心理健康", "labor": "劳动",
                 "other": "综合实践"}

# Training: category -> (weight, lowest hours, highest hours, titles; {y} is the year,
# {s} the subject).
TRAINING = {
    "school": (40, 2, 8, ["校本研修：{s}单元整体教学设计", "校本研修：作业设计与评价",
                          "校本研修：新课标学习", "校本研修：课堂观察与诊断",
                          "校本研修：班主任工作经验交流", "校本研修：{s}教研组集体备课"]),
    "observation": (20, 1, 2, ["听课观摩：{s}公开课", "听课观摩：{s}示范课",
                               "听课观摩：同课异构研讨"]),
    "group": (8, 3, 6, ["集团联合教研：{s}同课异构", "集团名师课堂：{s}专题研讨",
                        "城乡共同体送教研讨活动"]),
    "county": (12, 8, 24, ["丰都县{y}年{s}学科新课标解读培训", "丰都县{y}年中小学班主任培训",
                           "丰都县{y}年教师信息技术应用能力提升培训",
                           "丰都县{y}年心理健康教育专题培训"]),
    "city": (5, 16, 40, ["重庆市{y}年中小学{s}骨干教师研修", "重庆市{y}年乡村教师素养提升培训"]),
    "provincial": (3, 24, 60, ["重庆市{y}年中小学教师能力提升工程2.0专题研修",
                               "重庆市{y}年{s}学科省级骨干教师培训"]),
    "national": (2, 24, 80, ["国培计划（{y}）——乡村教师{s}访名校研修",
                             "国培计划（{y}）——中西部骨干教师能力提升"]),
    "mentoring": (5, 2, 4, ["师徒带教：{s}课堂教学指导", "师徒带教：教学设计研磨"]),
    "other": (5, 5, 20, ["国家中小学智慧教育平台{y}年暑期研修", "网络研修：{s}教学资源应用"]),
}

EXCHANGE_NOTES = {
    "itinerant": ["每周二、周四到校走教", "每周三全天走教", "每周一、周五下午走教"],
    "support": ["支教一学年，担任教研组长", "支教一学年"],
    "sent_teaching": ["送教下乡：示范课与评课", "送教下乡：同课异构", "送教下乡：专题讲座"],
}

# By whole years of the period: 0 (one term), 1 or 2.
ROTATION_NOTES = ["交流轮岗一学期", "交流轮岗一学年", "交流轮岗两学年，期满回原校"]

MENTOR_TIERS = {"new_teacher": "新教师入职", "backbone": "名师带骨干", "young": "骨干带青年"}
MENTOR_GOALS = {
    "new_teacher": ["一年站稳讲台，三年成为合格教师", "每周互相听课一节，每月共同打磨一节课"],
    "backbone": ["三年内成长为县级以上骨干教师，主持一项县级课题",
                 "打磨示范课并在集团内送教，带动本校教研组"],
    "young": ["提升课堂教学能力，参加县级优质课比赛", "每学期上一节校级公开课"],
}
