"""The fictional people of the demo: names, ranks, biographies and languages.

Everything here is demo content (data, not interface text), drawn from a seeded
``random.Random`` so the same seed always gives the same people.
"""

from __future__ import annotations

import random

from django.utils.text import slugify

FIRST_NAMES = [
    "Aaliyah", "Abdi", "Adriana", "Ahmed", "Alejandro", "Amara", "Ana", "Andrei", "Anh",
    "Asha", "Beatriz", "Bethlehem", "Bich", "Carlos", "Chen", "Chloe", "Daniel", "Dawit",
    "Deshawn", "Diego", "Elena", "Elijah", "Emily", "Fatima", "Fernando", "Grace", "Hamza",
    "Hana", "Hyun-woo", "Ifeoma", "Imani", "Isabel", "Jamal", "Javier", "Ji-yeon", "Joseph",
    "Kai", "Keisha", "Kenji", "Layla", "Leilani", "Linh", "Lucia", "Malik", "Marco", "Maria",
    "Marisol", "Megan", "Mei", "Miguel", "Minh", "Mohamed", "Nadia", "Natalia", "Nathan",
    "Nia", "Olga", "Omar", "Patrick", "Priya", "Rafael", "Rahel", "Ramon", "Rosa", "Ryan",
    "Samira", "Sarah", "Sergei", "Shira", "Sofia", "Tariq", "Teresa", "Thanh", "Tomas",
    "Tyrone", "Valentina", "Wei", "Yonas", "Yusuf", "Zainab",
]  # fmt: skip

SURNAMES = [
    "Abdullahi", "Alvarez", "Anderson", "Bautista", "Begay", "Bekele", "Castillo", "Chang",
    "Chen", "Cruz", "Dang", "Davis", "Delgado", "Do", "Farah", "Flores", "Garcia", "Gebre",
    "Gonzalez", "Green", "Haile", "Hassan", "Hernandez", "Ivanova", "Jackson", "Johnson",
    "Kahale", "Kang", "Kim", "Kowalski", "Le", "Lee", "Lopez", "Mahmoud", "Martinez",
    "Mendoza", "Mohamud", "Moreno", "Morozov", "Murphy", "Nakamura", "Nguyen", "O'Brien",
    "Okafor", "Olsen", "Park", "Patel", "Pham", "Ramirez", "Reyes", "Robinson", "Rodriguez",
    "Santos", "Sato", "Schmidt", "Shapiro", "Singh", "Tadesse", "Tanaka", "Tesfaye", "Thomas",
    "Tran", "Vasquez", "Volkov", "Vu", "Walker", "Warsame", "Washington", "Williams", "Wong",
    "Wu", "Yamamoto", "Yilma", "Yusuf", "Zhang",
]  # fmt: skip

# Languages commonly heard in Seattle besides English, most common first, with the
# weights used to pick them; codes as in Neighbourhood.languages.
LANGUAGE_WEIGHTS = {
    "es": 10,
    "zh-hant": 8,
    "vi": 7,
    "so": 5,
    "tl": 5,
    "am": 4,
    "ko": 4,
    "ru": 3,
    "ti": 2,
    "ja": 2,
    "ar": 2,
    "uk": 1,
}

# What an officer does, completed with the place they serve ("{area}").
NEIGHBOURHOOD_BIO_FOCUS = [
    "knows the businesses of {area} by name and runs a monthly coffee with a cop",
    "works with the parks department in {area} and volunteers on safer routes to school",
    "focuses on traffic safety at the busiest crossings of {area}",
    "helps block watch groups in {area} get started and keeps them in touch",
    "spends most shifts on foot and bicycle along the main streets of {area}",
    "works with outreach teams in {area} on housing and mental-health referrals",
    "coaches a youth basketball league in {area}",
    "runs the property-marking and bike-registration events in {area}",
]

SECTOR_BIO_FOCUS = [
    "patrols {area} and answers calls across its neighbourhoods",
    "leads the work on burglary and vehicle crime in {area}",
    "coordinates {area}'s local events with the fire department and emergency management",
    "works nights across {area} and reads every community report",
]

LIAISON_BIO = (
    "is the community liaison officer for {area}: the first contact for community groups, "
    "faith organisations and schools, and the organiser of its public meetings"
)

SUPERVISOR_BIO = (
    "supervises the neighbourhood teams of {area} and sets their priorities with residents"
)

CAPTAIN_BIO = "commands {area} and chairs its community advisory council"

CHIEF_BIO = "leads the community policing strategy of {area}"


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def email_local_part(name: str) -> str:
    """ "Hyun-woo O'Brien" -> "hyun-woo.obrien": the part of an e-mail before the @."""
    return ".".join(slugify(part) for part in name.split())


def pick_languages(rng: random.Random, *, at_most: int) -> list[str]:
    """English plus up to ``at_most`` other languages, drawn by how common they are."""
    codes = list(LANGUAGE_WEIGHTS)
    weights = list(LANGUAGE_WEIGHTS.values())
    chosen: list[str] = []
    for _ in range(rng.randint(0, at_most)):
        code = rng.choices(codes, weights)[0]
        if code not in chosen:
            chosen.append(code)
    return ["en", *chosen]


def bio(rng: random.Random, *, first_name: str, focus: str, area: str) -> str:
    """A two-clause biography; ``focus`` is one of the templates above."""
    years = rng.randint(3, 24)
    return f"{first_name} has served for {years} years and {focus.format(area=area)}."
