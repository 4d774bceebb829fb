"""The organisation: department families, departments with their per-system names, roles, profiles.

A department's `Profile` holds the levers that make departments differ (on-time delivery, attrition,
SLA speed, win rate...). Within each lever the values are spread evenly across departments and then
shuffled by the seed, so every generated company has clear leaders and laggards and a ranking means
something.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.records import rng

FAMILIES = ("rnd", "implementation", "sales", "hr", "finance", "admin")
PRODUCTION_FAMILIES = ("rnd", "implementation", "sales")
SERVICE_FAMILIES = ("hr", "finance", "admin")

DEPT_COUNTS = {
    "s": {"rnd": 2, "implementation": 1, "sales": 2, "hr": 1, "finance": 1, "admin": 1},
    "m": {"rnd": 4, "implementation": 2, "sales": 3, "hr": 1, "finance": 1, "admin": 1},
    "l": {"rnd": 8, "implementation": 4, "sales": 5, "hr": 1, "finance": 1, "admin": 1},
}
# initial headcount of one department of the family (before hires and terminations)
DEPT_SIZE = {
    "s": {"rnd": 58, "implementation": 43, "sales": 29, "hr": 14, "finance": 15, "admin": 27},
    "m": {"rnd": 170, "implementation": 150, "sales": 105, "hr": 60, "finance": 70, "admin": 140},
    "l": {"rnd": 420, "implementation": 330, "sales": 240, "hr": 200, "finance": 220, "admin": 420},
}

# (team English, team Chinese) per family, taken in order
TEAMS = {
    "rnd": [
        ("Platform", "平台"),
        ("Applications", "应用"),
        ("Data", "数据"),
        ("Mobile", "移动"),
        ("Infrastructure", "基础架构"),
        ("Security Engineering", "安全工程"),
        ("AI Lab", "智能实验室"),
        ("Quality", "质量"),
    ],
    "implementation": [("East", "华东"), ("North", "华北"), ("South", "华南"), ("West", "西部")],
    "sales": [
        ("North", "华北"),
        ("South", "华南"),
        ("East", "华东"),
        ("Key Accounts", "大客户"),
        ("Channel", "渠道"),
    ],
    "hr": [("Human Resources", "人力资源部")],
    "finance": [("Finance", "财务部")],
    "admin": [("Administration & Logistics", "行政后勤部")],
}
DIVISIONS = {
    "rnd": "Research & Development",
    "implementation": "Delivery",
    "sales": "Sales",
    "hr": "Corporate Functions",
    "finance": "Corporate Functions",
    "admin": "Corporate Functions",
}
LOCATIONS = ("Beijing", "Shanghai", "Shenzhen", "Chengdu")


@dataclass(frozen=True)
class Role:
    """A job role; ``weight`` is its share of a family's non-manager staff, ``experience`` the skill its
    holders add by seniority (see skill.py)."""

    role_id: str
    family: str
    title_en: str
    title_zh: str
    is_manager: bool
    pay_lo: int
    pay_hi: int
    weight: float
    promotes_to: str | None = None
    experience: float = 0.0


# the skill a senior title's holders add (see skill.py): a senior does the same work better, which is
# what lets the senior role templates ask for more than the junior ones
SENIORITY = 0.5

ROLES: dict[str, Role] = {
    r.role_id: r
    for r in [
        Role("rnd_mgr", "rnd", "R&D Manager", "研发经理", True, 32000, 45000, 0),
        Role(
            "rnd_sr",
            "rnd",
            "Senior R&D Engineer",
            "高级研发工程师",
            False,
            24000,
            34000,
            0.30,
            experience=SENIORITY,
        ),
        Role("rnd_eng", "rnd", "R&D Engineer", "研发工程师", False, 14000, 24000, 0.55, "rnd_sr"),
        Role("rnd_qa", "rnd", "QA Engineer", "测试工程师", False, 12000, 20000, 0.15),
        Role("impl_mgr", "implementation", "Implementation Manager", "实施经理", True, 28000, 38000, 0),
        Role(
            "impl_sr",
            "implementation",
            "Senior Implementation Consultant",
            "高级实施顾问",
            False,
            18000,
            26000,
            0.30,
            experience=SENIORITY,
        ),
        Role(
            "impl_con",
            "implementation",
            "Implementation Consultant",
            "实施顾问",
            False,
            11000,
            18000,
            0.70,
            "impl_sr",
        ),
        Role("sales_mgr", "sales", "Sales Manager", "销售经理", True, 30000, 42000, 0),
        Role(
            "sales_sr",
            "sales",
            "Senior Sales Representative",
            "高级销售代表",
            False,
            16000,
            26000,
            0.30,
            experience=SENIORITY,
        ),
        Role("sales_rep", "sales", "Sales Representative", "销售代表", False, 9000, 16000, 0.70, "sales_sr"),
        Role("hr_mgr", "hr", "HR Manager", "人力资源经理", True, 25000, 35000, 0),
        Role("hr_spec", "hr", "HR Specialist", "人事专员", False, 9000, 15000, 0.60, "hr_recruiter"),
        Role("hr_recruiter", "hr", "Recruiter", "招聘专员", False, 10000, 16000, 0.40),
        Role("fin_mgr", "finance", "Finance Manager", "财务经理", True, 27000, 38000, 0),
        Role("fin_acct", "finance", "Accountant", "会计", False, 10000, 16000, 0.60, "fin_sr"),
        Role(
            "fin_sr",
            "finance",
            "Senior Accountant",
            "高级会计",
            False,
            15000,
            22000,
            0.40,
            experience=SENIORITY,
        ),
        Role("adm_mgr", "admin", "Administration Manager", "行政后勤经理", True, 22000, 30000, 0),
        Role("adm_officer", "admin", "Admin Officer", "行政干事", False, 7000, 11000, 0.35, "adm_general"),
        Role("adm_finance", "admin", "Finance Officer", "财务人员", False, 9000, 14000, 0.20),
        Role("adm_security", "admin", "Security Officer", "安全科员", False, 6500, 9500, 0.25),
        Role("adm_general", "admin", "General Affairs Officer", "总务人员", False, 7500, 11500, 0.20),
    ]
}


def roles_of(family: str) -> list[Role]:
    return [r for r in ROLES.values() if r.family == family]


@dataclass(frozen=True)
class Profile:
    """How well a department performs; the generators draw outcomes around these levers."""

    on_time: float  # probability an RD story/bug or IMPL project lands by its due date
    attrition: float  # annual termination hazard
    sick_share: float  # share of time-off requests that are sick leave
    sla_speed: float  # >1 answers and resolves service-desk requests faster than the goals
    win_rate: float  # share of closed deals that are won
    csat: float  # mean customer/requester satisfaction (1-5)
    training: float  # probability a required training is completed each year
    review: float  # mean 360 review score (1-5)
    reopen: float  # probability an RD bug is reopened
    time_to_fill: float  # multiplier on recruiting time (HR's own lever applies to every opening)
    patrol_done: float  # share of security patrols done (admin)
    close_days: float  # business days finance needs to close a period
    quota_attainment: float  # mean deal volume relative to quota (sales)


# Each lever's range across departments: wide enough that the department ranking is clear on pooled
# records, narrow beside the spread between people of one department (see skill.py), as in a company
# whose departments differ by degrees rather than by kind.
_LEVERS = {
    "on_time": (0.78, 0.88),
    "attrition": (0.06, 0.20),
    "sick_share": (0.28, 0.40),
    "sla_speed": (1.0, 1.15),
    "win_rate": (0.38, 0.42),
    "csat": (4.0, 4.25),
    "training": (0.85, 0.95),
    "review": (3.8, 4.05),
    "reopen": (0.06, 0.10),
    "time_to_fill": (0.7, 1.5),
    "patrol_done": (0.94, 0.97),
    "close_days": (4.5, 5.5),
    "quota_attainment": (0.96, 1.04),
}


@dataclass(frozen=True)
class Department:
    """One department and how each system spells it."""

    dept_id: str
    family: str
    name_en: str
    name_zh: str
    hr_name: str  # BambooHR department field
    division: str
    cost_center_ids: tuple[str, ...]  # ERP cost centers; payroll posts to the first
    erp_name: str  # ERP cost center name
    crm_team_id: str | None  # HubSpot team (sales only)
    crm_team_name: str | None
    spellings: dict[str, str]  # free-text spellings service-desk requesters use (see mess.SD_SPELLING_MIX)
    size: int  # initial headcount
    profile: Profile


_HR_PREFIX = {"rnd": "R&D - ", "implementation": "Professional Services - ", "sales": "Sales - "}
_HR_SINGLE = {"hr": "People & Culture", "finance": "Finance & Accounting", "admin": "Admin & Logistics"}
_ERP_PREFIX = {
    "rnd": "RND",
    "implementation": "IMPL",
    "sales": "SLS",
    "hr": "HR",
    "finance": "FIN",
    "admin": "ADM",
}
_SHORT = {
    "rnd": "R&D",
    "implementation": "PS",
    "sales": "Sales",
    "hr": "HR",
    "finance": "Fin",
    "admin": "Admin",
}


# A department's ids (department, cost centers, CRM team) follow its place in the largest company, so the
# same department has the same ids at every scale, and one id-keyed mapping seed serves s, m and l.
_LARGEST = {fam: max(counts[fam] for counts in DEPT_COUNTS.values()) for fam in FAMILIES}
_ID_INDEX = {slot: k for k, slot in enumerate((fam, i) for fam in FAMILIES for i in range(_LARGEST[fam]))}


def build_departments(seed: int, scale: str) -> list[Department]:
    """Departments of a company of this scale, with profiles spread by the seed."""
    r = rng(seed, scale, "departments")
    plan = [(fam, i) for fam in FAMILIES for i in range(DEPT_COUNTS[scale][fam])]
    levers: dict[str, list[float]] = {}
    n = len(plan)
    for lever, (lo, hi) in _LEVERS.items():
        values = [lo + (hi - lo) * k / (n - 1) for k in range(n)]
        r.shuffle(values)
        levers[lever] = values
    depts = []
    for idx, (fam, i) in enumerate(plan):
        team_en, team_zh = TEAMS[fam][i]
        if fam in _HR_PREFIX:
            name_en = {
                "rnd": f"R&D {team_en}",
                "implementation": f"Implementation {team_en}",
                "sales": f"Sales {team_en}",
            }[fam]
            name_zh = {
                "rnd": f"研发{team_zh}部",
                "implementation": f"实施{team_zh}部",
                "sales": f"销售{team_zh}部",
            }[fam]
            hr_name = _HR_PREFIX[fam] + team_en
            short = f"{_SHORT[fam]} {team_en.split()[0]}"
        else:
            name_en, name_zh, hr_name, short = team_en, team_zh, _HR_SINGLE[fam], _SHORT[fam]
        id_index = _ID_INDEX[(fam, i)]
        base = 1000 + id_index * 10
        ccs = (f"CC{base}",) if fam != "rnd" or scale == "s" else (f"CC{base}", f"CC{base + 1}")
        erp_name = (
            f"{_ERP_PREFIX[fam]} {team_en.upper()}" if fam in _HR_PREFIX else _ERP_PREFIX[fam] + " DEPT"
        )
        depts.append(
            Department(
                dept_id=f"D{id_index + 1:02d}",
                family=fam,
                name_en=name_en,
                name_zh=name_zh,
                hr_name=hr_name,
                division=DIVISIONS[fam],
                cost_center_ids=ccs,
                erp_name=erp_name,
                crm_team_id=str(7100 + id_index) if fam == "sales" else None,
                crm_team_name=f"Team {team_en}" if fam == "sales" else None,
                spellings={
                    "hr_name": hr_name,
                    "name_zh": name_zh,
                    "lower_en": name_en.lower(),
                    "short": short,
                },
                size=DEPT_SIZE[scale][fam],
                profile=Profile(**{k: round(v[idx], 4) for k, v in levers.items()}),
            )
        )
    return depts


SURNAMES = (
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Gao",
    "Luo",
    "Zheng",
    "Liang",
    "Xie",
    "Song",
    "Tang",
    "Han",
    "Feng",
    "Deng",
    "Cao",
    "Peng",
    "Zeng",
    "Xiao",
    "Tian",
    "Dong",
    "Pan",
    "Yuan",
    "Cai",
)
GIVEN = (
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Lei",
    "Jun",
    "Yang",
    "Yong",
    "Yan",
    "Jie",
    "Tao",
    "Ming",
    "Chao",
    "Xiu",
    "Hua",
    "Ping",
    "Gang",
    "Hui",
    "Li",
    "Qiang",
    "Xin",
    "Yu",
    "Hao",
    "Bo",
    "Lin",
    "Dan",
    "Peng",
    "Ting",
    "Xue",
    "Kai",
    "Rui",
    "Shan",
    "Wen",
    "Zhen",
    "Yi",
    "Qing",
    "Long",
    "Mei",
    "Yun",
    "Jian",
    "Hong",
    "Bin",
    "Lu",
    "Ning",
    "Jia",
    "Xiang",
    "Feng",
    "Zhi",
    "Cheng",
)
COMPANY_WORDS = (
    "Huaxin",
    "Zhongke",
    "Tianyu",
    "Jinhai",
    "Hengtai",
    "Ruida",
    "Xinghe",
    "Boyuan",
    "Kaida",
    "Longsheng",
    "Mingtai",
    "Dongfang",
    "Shengshi",
    "Yuanhang",
    "Weilai",
    "Jiahe",
    "Haitong",
    "Changjiang",
    "Huayu",
    "Fuxing",
)
COMPANY_KINDS = (
    "Technology",
    "Manufacturing",
    "Logistics",
    "Retail",
    "Pharmaceutical",
    "Energy",
    "Electronics",
    "Foods",
    "Textiles",
    "Automotive",
)
CITIES = (
    "Shanghai",
    "Beijing",
    "Shenzhen",
    "Hangzhou",
    "Suzhou",
    "Nanjing",
    "Wuhan",
    "Chengdu",
    "Xiamen",
    "Tianjin",
    "Qingdao",
    "Ningbo",
)

# The company's history is anchored to fixed dates, not to --as-of, so that advancing the as-of only
# reveals more of the same company. History starts 12 (s) or 24 (m, l) months before the default as-of;
# generation runs to HORIZON_END, the last as-of the simulator accepts.
DEFAULT_AS_OF_ISO = "2026-10-31"
HISTORY_START_ISO = {"s": "2025-11-01", "m": "2024-11-01", "l": "2024-11-01"}
HORIZON_END_ISO = "2027-12-31"
