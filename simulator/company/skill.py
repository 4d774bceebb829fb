"""How well each person does their own work: the spread inside a department that makes people differ.

A department's `Profile` sets where the outcomes of its people centre (its levers); each employee's
``skill`` moves the outcomes of their own records around that centre. Skill is a z-score drawn once per
person from the seed (standard normal, capped at +-`SKILL_CAP`), so it stays with them for the whole
history and through a promotion; a senior role adds its holders' experience (`Role.experience`), which
is why the senior role templates can ask for more. Without it every person of a department would be the
same person with different luck: grades would be noise that does not persist from one quarter to the
next, and calibration could not tell a strong team from a lucky one.

Each generator applies skill to the records the person owns, with a sensitivity of its own (the
``*_PER_SKILL`` constants beside each generator): a probability moves on the log-odds scale
(`shift_probability`), so it never leaves (0, 1), and a duration is scaled (`scale_duration`), a
skilled person being faster. The sensitivities are set so that the spread between people of one
department is wider than the spread between departments, as in most companies: a department's lever
moves its people's grades by less than a band, their own work by several.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from simulator.records import unit

SKILL_CAP = 2.5
_STANDARD_NORMAL = NormalDist()


def draw_skill(seed: int, emp_id: int) -> float:
    """The person's skill z-score: its own hash stream, so it draws nothing from the people generator."""
    u = min(max(unit(seed, "skill", emp_id), 1e-9), 1 - 1e-9)
    return max(-SKILL_CAP, min(SKILL_CAP, _STANDARD_NORMAL.inv_cdf(u)))


def shift_probability(p: float, skill: float, per_skill: float) -> float:
    """``p`` moved by ``per_skill`` log-odds per unit of skill (negative ``per_skill``: skill lowers it)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return 1 / (1 + math.exp(-(math.log(p / (1 - p)) + per_skill * skill)))


def scale_duration(value: float, skill: float, per_skill: float) -> float:
    """``value`` shortened by a factor exp(-per_skill) per unit of skill (a skilled person is faster)."""
    return value * math.exp(-per_skill * skill)
