"""The demo city's report categories and a few hundred reports, in every status.

Demo content is data, not a user flow: the reports are written directly, in bulk,
but keep every rule the reports services keep. The public sees only the snapped
point; the neighbourhood is the one the spatial index finds for the point; tips
carry no identity; internal notes are never public; every timestamp follows the
one before it and none is in the future. No notification is queued: nobody
should get e-mail about made-up reports.

Everything is drawn from a seeded ``random.Random`` over the day of the run, and
each report has a natural key (``external_id`` "demo:<n>"), so a second run
writes nothing.
"""

# Demo content: its sentences are easier to read and edit unbroken.
# ruff: noqa: E501

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape
from shapely.prepared import prep

from beatbridge.accounts.models import TeamAssignment, TeamRole, User
from beatbridge.demo import people
from beatbridge.demo.services import DEMO_RESIDENTS, DEMO_SEED
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.places.selectors import locate_neighbourhood_ref
from beatbridge.reports.models import (
    Category,
    CategoryKind,
    CategoryQuestion,
    Priority,
    QuestionType,
    Report,
    ReportKind,
    ReportUpdate,
    Source,
    Status,
    UpdateKind,
)
from beatbridge.reports.services import hash_follow_up_code, public_point, random_code

DAYS_OF_HISTORY = 182
# Every neighbourhood gets at least this many reports, busier (more populous) ones more.
MIN_REPORTS_PER_NEIGHBOURHOOD = 2
EXTRA_REPORTS = 220
EXTERNAL_ID_PREFIX = "demo:"
DUPLICATE_CHANCE = 0.12

# --- categories -----------------------------------------------------------------------------

CRIME = ("Crime and safety", "Delincuencia y seguridad")
TRAFFIC = ("Roads and traffic", "Calles y tráfico")
PUBLIC_SPACE = ("Streets and public spaces", "Calles y espacios públicos")
NUISANCE = ("Noise and nuisance", "Ruido y molestias")


@dataclass(frozen=True)
class DemoQuestion:
    code: str
    prompt: str
    prompt_es: str
    datatype: str
    choices: tuple[tuple[str, str, str], ...] = ()  # (key, name, Spanish name)
    help_text: str = ""
    help_text_es: str = ""


@dataclass(frozen=True)
class DemoCategory:
    code: str
    name: str
    name_es: str
    group: tuple[str, str]
    description: str
    description_es: str
    weight: int
    handled_by: str = ""
    kind: str = CategoryKind.CONCERN
    is_sensitive: bool = False
    keywords: str = ""
    questions: tuple[DemoQuestion, ...] = ()


COLOURS = (
    ("black", "Black", "Negro"),
    ("white", "White", "Blanco"),
    ("grey", "Grey or silver", "Gris o plateado"),
    ("red", "Red", "Rojo"),
    ("blue", "Blue", "Azul"),
    ("green", "Green", "Verde"),
    ("other", "Other", "Otro"),
)

CATEGORIES = (
    DemoCategory(
        code="drug-dealing",
        name="Drug dealing",
        name_es="Venta de drogas",
        group=CRIME,
        description="Drugs sold in the street, from a car or from a building, again and again.",
        description_es="Venta de drogas en la calle, desde un coche o desde un edificio, de forma repetida.",
        weight=9,
        keywords="drugs, dealing, selling, needles",
        # Such reports name houses and people: the team sees them, the public list does not.
        is_sensitive=True,
    ),
    DemoCategory(
        code="speeding",
        name="Speeding or dangerous driving",
        name_es="Exceso de velocidad o conducción peligrosa",
        group=TRAFFIC,
        description="Drivers speeding, racing or running red lights on a street you know.",
        description_es="Conductores que van demasiado rápido, hacen carreras o se saltan semáforos en una calle que usted conoce.",
        weight=12,
        keywords="speed, racing, traffic, red light",
        questions=(
            DemoQuestion(
                code="time-of-day",
                prompt="When does it happen?",
                prompt_es="¿Cuándo ocurre?",
                datatype=QuestionType.MULTIPLE_CHOICE,
                choices=(
                    ("morning", "Morning rush (6-10)", "Hora punta de la mañana (6-10)"),
                    ("daytime", "Daytime (10-16)", "Durante el día (10-16)"),
                    ("evening", "Evening rush (16-19)", "Hora punta de la tarde (16-19)"),
                    ("night", "Night (19-6)", "Noche (19-6)"),
                ),
                help_text="Choose every time that applies.",
                help_text_es="Elija todas las que correspondan.",
            ),
        ),
    ),
    DemoCategory(
        code="abandoned-vehicle",
        name="Abandoned vehicle",
        name_es="Vehículo abandonado",
        group=TRAFFIC,
        description="A vehicle left on a public street for more than 72 hours, or wrecked.",
        description_es="Un vehículo dejado en la vía pública más de 72 horas, o destrozado.",
        weight=8,
        handled_by="Parking Enforcement",
        keywords="car, van, parked, wreck, 72 hours",
        questions=(
            DemoQuestion(
                code="vehicle-make",
                prompt="Make and model",
                prompt_es="Marca y modelo",
                datatype=QuestionType.STRING,
            ),
            DemoQuestion(
                code="vehicle-colour",
                prompt="Colour",
                prompt_es="Color",
                datatype=QuestionType.SINGLE_CHOICE,
                choices=COLOURS,
            ),
            DemoQuestion(
                code="licence-plate",
                prompt="Licence plate",
                prompt_es="Matrícula",
                datatype=QuestionType.STRING,
                help_text="As much of it as you can read.",
                help_text_es="Lo que pueda leer de ella.",
            ),
        ),
    ),
    DemoCategory(
        code="graffiti",
        name="Graffiti",
        name_es="Grafiti",
        group=PUBLIC_SPACE,
        description="Graffiti on public property; tell us if it is hateful or threatening.",
        description_es="Grafitis en bienes públicos; díganos si son de odio o amenazantes.",
        weight=8,
        handled_by="Seattle Public Utilities (graffiti removal)",
        keywords="tag, paint, spray, mural",
        questions=(
            DemoQuestion(
                code="offensive",
                prompt="Is it offensive, hateful or threatening?",
                prompt_es="¿Es ofensivo, de odio o amenazante?",
                datatype=QuestionType.SINGLE_CHOICE,
                choices=(("yes", "Yes", "Sí"), ("no", "No", "No")),
            ),
        ),
    ),
    DemoCategory(
        code="noise",
        name="Noise",
        name_es="Ruido",
        group=NUISANCE,
        description="Loud parties, music, engines or shouting that keeps happening.",
        description_es="Fiestas, música, motores o gritos que se repiten.",
        weight=11,
        keywords="loud, party, music, engines",
        questions=(
            DemoQuestion(
                code="last-heard",
                prompt="When did you last hear it?",
                prompt_es="¿Cuándo lo oyó por última vez?",
                datatype=QuestionType.DATETIME,
            ),
        ),
    ),
    DemoCategory(
        code="antisocial-behaviour",
        name="Antisocial behaviour",
        name_es="Comportamiento antisocial",
        group=CRIME,
        description="Intimidating groups, fighting, public drinking or harassment of passers-by.",
        description_es="Grupos que intimidan, peleas, consumo de alcohol en la calle o acoso a los transeúntes.",
        weight=10,
        keywords="groups, fighting, drinking, intimidation",
    ),
    DemoCategory(
        code="street-light",
        name="Street light out",
        name_es="Farola apagada",
        group=PUBLIC_SPACE,
        description="A broken or dark street light that makes a place feel unsafe at night.",
        description_es="Una farola rota o apagada que hace que un lugar se sienta inseguro de noche.",
        weight=7,
        handled_by="Seattle City Light",
        keywords="lamp, dark, lighting",
        questions=(
            DemoQuestion(
                code="pole-number",
                prompt="Number on the pole",
                prompt_es="Número del poste",
                datatype=QuestionType.STRING,
                help_text="A small metal tag at eye height.",
                help_text_es="Una pequeña placa metálica a la altura de los ojos.",
            ),
        ),
    ),
    DemoCategory(
        code="vandalism",
        name="Vandalism or criminal damage",
        name_es="Vandalismo o daños",
        group=CRIME,
        description="Damage to bus shelters, parks, cars or buildings.",
        description_es="Daños en paradas de autobús, parques, coches o edificios.",
        weight=7,
        keywords="damage, broken, smashed",
    ),
    DemoCategory(
        code="dumping",
        name="Litter and illegal dumping",
        name_es="Basura y vertidos ilegales",
        group=PUBLIC_SPACE,
        description="Rubbish, furniture or needles dumped in the street, an alley or a park.",
        description_es="Basura, muebles o jeringuillas tirados en la calle, un callejón o un parque.",
        weight=8,
        handled_by="Seattle Public Utilities (illegal dumping)",
        keywords="rubbish, trash, mattress, needles, litter",
    ),
    DemoCategory(
        code="suspicious-activity",
        name="Suspicious activity",
        name_es="Actividad sospechosa",
        group=CRIME,
        description="Something a person did that worried you: what they did, when and where they went.",
        description_es="Algo que hizo una persona y que le preocupó: qué hizo, cuándo y hacia dónde fue.",
        weight=6,
        kind=CategoryKind.SUSPICIOUS_ACTIVITY,
        is_sensitive=True,
        keywords="prowling, break-in, casing, trying doors",
    ),
    DemoCategory(
        code="harassment",
        name="Harassment or intimidation",
        name_es="Acoso o intimidación",
        group=CRIME,
        description="Someone targeting you or others with threats, slurs or unwanted attention.",
        description_es="Alguien que le amenaza, insulta o molesta a usted o a otras personas de forma reiterada.",
        weight=3,
        is_sensitive=True,
        keywords="threats, hate, stalking, bullying",
    ),
)

# --- what people write ------------------------------------------------------------------------

DESCRIPTIONS: dict[str, list[str]] = {
    "drug-dealing": [
        "Two or three people hand small packages to drivers who pull up by the corner store, every evening from about 6.",
        "A silver hatchback parks outside the laundromat; people walk up, lean in the window and leave a minute later. It happens ten or more times an hour.",
        "Needles and foil left every morning in the stairwell behind the library; people come and go from there all night.",
        "Constant foot traffic to the side door of the apartment building, people staying less than two minutes, mostly after 10 pm.",
        "Dealing by the bus shelter on the main street; kids waiting for the school bus see it every afternoon.",
    ],
    "speeding": [
        "Cars race down the hill past the school well over the limit, worst between 7:30 and 8:30 in the morning.",
        "Motorbikes doing wheelies and racing on the arterial most Friday and Saturday nights after 11.",
        "Drivers cut through the residential street to avoid the lights and drive at 40 past the playground.",
        "The right turn on red at the crossing is ignored constantly; two near misses with children this week.",
        "Cars treat the straight stretch by the park as a drag strip in the evening.",
    ],
    "abandoned-vehicle": [
        "A white van with flat tyres has not moved for three weeks and now has a parking ticket from June on it.",
        "Burnt-out car left by the railway bridge since the weekend.",
        "A sedan with smashed windows and no plates parked across from the playground for over a week.",
        "An old RV has been parked in front of the same houses for a month, leaking oil.",
    ],
    "graffiti": [
        "New tags all over the underpass on the walk to school.",
        "Graffiti on the community centre wall, sprayed overnight.",
        "Large tags on the back of the bus shelter and the utility box next to it.",
        "Someone has painted threatening words on the fence by the mosque; please remove it quickly.",
    ],
    "noise": [
        "Loud music and shouting from the house on the corner until 3 am, most weekends.",
        "Car stereos at full volume in the parking lot behind the shops every night around midnight.",
        "A generator runs all night outside the building site next to our flats.",
        "Fireworks and shouting in the park after midnight several nights a week.",
    ],
    "antisocial-behaviour": [
        "A group drinks on the steps of the closed church every evening and shouts at people passing.",
        "Teenagers throwing stones at buses at the stop by the school after 3 pm.",
        "Fights outside the bar at closing time most Saturdays; glass left on the pavement.",
        "People sleeping in the entrance of our building block the door and have been aggressive to residents.",
    ],
    "street-light": [
        "Three street lights out along the path to the light rail station; it is pitch dark after 5 pm.",
        "The light at the bottom of the stairs to the park has been out for two weeks; people avoid the stairs now.",
        "Flickering street light by the bus stop, off most of the night.",
        "The alley behind the shops has no working light and there have been car break-ins there.",
    ],
    "vandalism": [
        "Glass of the bus shelter smashed again, third time this month.",
        "Someone keyed and broke the mirrors of several cars parked along the street overnight.",
        "Playground equipment in the park damaged and a bench set on fire.",
        "Community garden fence pulled down and beds trampled.",
    ],
    "dumping": [
        "Mattresses and a sofa dumped in the alley, blocking the garbage trucks.",
        "Bags of household rubbish left under the overpass, attracting rats.",
        "Needles in the grass at the edge of the playground.",
        "Construction waste dumped at the dead end of the street overnight.",
    ],
    "suspicious-activity": [
        "A man went along the row of parked cars pulling each door handle, then walked off towards the park.",
        "Two people in a grey van stopped at several houses, looked into back gardens over the fence and drove off when a neighbour came out.",
        "Someone was photographing the back entrances of the houses and checking which windows were open.",
        "A person tried the side door of the closed shop several times and then waited across the street watching it.",
    ],
    "harassment": [
        "A neighbour shouts slurs at my family every time we leave the house and has left notes under the door.",
        "A man follows women from the station towards the park in the evening and makes comments.",
        "Someone has been threatening the staff of the corner shop and telling them to leave the area.",
    ],
}

DESCRIPTIONS_ES: dict[str, list[str]] = {
    "drug-dealing": [
        "Todas las tardes hay gente vendiendo droga en la esquina de la tienda; los coches paran un minuto y se van.",
        "Hay jeringuillas cada mañana en la escalera detrás de la biblioteca.",
    ],
    "speeding": [
        "Los coches bajan a toda velocidad por delante de la escuela por la mañana; alguien va a salir herido.",
        "Carreras de motos casi todas las noches del fin de semana en la avenida.",
    ],
    "abandoned-vehicle": [
        "Una furgoneta blanca lleva tres semanas sin moverse, con las ruedas pinchadas.",
        "Un coche sin matrícula y con los cristales rotos delante del parque infantil.",
    ],
    "graffiti": [
        "Pintadas nuevas en el paso subterráneo que usan los niños para ir al colegio.",
        "Grafitis en la pared del centro comunitario desde anoche.",
    ],
    "noise": [
        "Música muy alta y gritos en la casa de la esquina hasta las 3 de la mañana los fines de semana.",
        "Coches con la música a todo volumen en el aparcamiento detrás de las tiendas cada noche.",
    ],
    "antisocial-behaviour": [
        "Un grupo bebe cada tarde en la escalera de la iglesia y grita a la gente que pasa.",
        "Peleas a la salida del bar casi todos los sábados; dejan cristales en la acera.",
    ],
    "street-light": [
        "Tres farolas apagadas en el camino a la estación; está completamente oscuro desde las cinco.",
        "La farola de la parada del autobús parpadea y está apagada casi toda la noche.",
    ],
    "vandalism": [
        "Otra vez han roto el cristal de la parada del autobús.",
        "Han dañado los columpios del parque y quemado un banco.",
    ],
    "dumping": [
        "Han tirado colchones y un sofá en el callejón y el camión de la basura no puede pasar.",
        "Bolsas de basura bajo el paso elevado; hay ratas.",
    ],
    "suspicious-activity": [
        "Un hombre fue probando las puertas de los coches aparcados uno por uno y se fue hacia el parque.",
        "Dos personas en una furgoneta gris miraron los patios traseros de varias casas y se marcharon cuando salió un vecino.",
    ],
    "harassment": [
        "Un vecino insulta a mi familia cada vez que salimos de casa y nos deja notas amenazantes.",
    ],
}

TIPS = [
    "The flat above the phone shop is used to store stolen bikes; they are brought in at night and taken out in vans.",
    "The person selling in the park keeps the drugs in the bin by the tennis courts, not on them.",
    "Cars with the catalytic converters cut off are brought to the garage at the end of the road on Sunday nights.",
    "The same people who broke into the cars last week are selling the stereos outside the market.",
]
TIPS_ES = [
    "Los que venden en la esquina guardan la droga en el patio de la casa azul.",
    "Las bicicletas robadas se guardan en el garaje del final de la calle y se sacan de noche.",
]

SUSPICIOUS_DETAILS = [
    {
        "behaviour": "Pulled the door handle of every parked car along the block, one after another.",
        "direction": "Walked north towards the park.",
        "vehicle": "",
    },
    {
        "behaviour": "Looked over back fences into several gardens and photographed the back doors.",
        "direction": "Drove off east when a neighbour came out.",
        "vehicle": "Grey van, no markings, partial plate 7KJ.",
    },
    {
        "behaviour": "Tried the side door of the closed shop three times, then watched it from across the street.",
        "direction": "Left on a bicycle heading south.",
        "vehicle": "",
    },
    {
        "behaviour": "Carried a crowbar and a large bag through the alley behind the shops at 3 am, checking garage doors.",
        "direction": "Went towards the light rail station.",
        "vehicle": "",
    },
]

ACKNOWLEDGEMENTS = [
    "Thank you for telling us. Your neighbourhood team has read your report and will look into it.",
    "Thanks for the report. We've added this area to our patrol plan for the coming week.",
    "We have received your report and passed it to the officer for your area.",
]
ACKNOWLEDGEMENTS_ES = [
    "Gracias por avisarnos. El equipo de su barrio ha leído su informe y lo va a revisar.",
    "Hemos recibido su informe y lo hemos pasado al agente de su zona.",
]
PROGRESS = {
    "drug-dealing": "Officers have been patrolling the corner at the times you describe, in plain clothes too.",
    "speeding": "We've run speed checks on the street on three mornings and issued tickets.",
    "abandoned-vehicle": "The vehicle has been tagged with a 72-hour notice.",
    "graffiti": "We've photographed the graffiti for our records; removal is booked.",
    "noise": "Officers spoke to the residents on Saturday night and will follow up.",
    "antisocial-behaviour": "Our officers are visiting the spot every evening this week and talking to the group.",
    "street-light": "We've checked the lights on our night patrol and logged the poles that are out.",
    "vandalism": "We've asked nearby businesses for camera footage.",
    "dumping": "We've checked the site and asked the property owner to secure the alley.",
    "suspicious-activity": "Officers have checked the area and spoken to neighbours.",
    "harassment": "An officer has been in touch with the people affected and is following this up.",
}
RESOLUTIONS = {
    "drug-dealing": "Two arrests were made after several weeks of patrols; the corner has been quiet since. Thank you to everyone who reported it.",
    "speeding": "Speed humps have been approved for the street and we will keep running speed checks until they are in.",
    "abandoned-vehicle": "The vehicle has been towed.",
    "graffiti": "The graffiti has been painted over.",
    "noise": "The noise has stopped since our visit. Report again if it comes back.",
    "antisocial-behaviour": "After regular visits and work with the outreach team, residents tell us the area is calmer.",
    "street-light": "City Light has repaired the lights.",
    "vandalism": "The shelter has been repaired; a suspect has been identified from camera footage.",
    "dumping": "The rubbish has been cleared.",
    "suspicious-activity": "Thank you: this has been added to our intelligence for the area and patrols have been increased.",
    "harassment": "Officers have dealt with the person responsible. Please contact us again straight away if anything else happens.",
}
NOTES = [
    "Same address came up at last month's community meeting.",
    "Checked the call log: two 911 calls from this block in the last month.",
    "Linked to the car break-ins series we are tracking in the sector.",
    "Reporter happy to be contacted; prefers e-mail.",
    "Asked the sector officers to pass by on the night shift.",
    "Camera footage requested from the shop on the corner.",
]
PARTNERS = {
    "abandoned-vehicle": "Parking Enforcement",
    "graffiti": "Seattle Public Utilities (graffiti removal)",
    "street-light": "Seattle City Light",
    "dumping": "Seattle Public Utilities (illegal dumping)",
    "noise": "Neighbourhood mediation service",
    "antisocial-behaviour": "Downtown outreach team",
    "drug-dealing": "Narcotics unit",
    "harassment": "Victim support service",
}
REFERRAL_NOTES = {
    "abandoned-vehicle": "Parking Enforcement deal with abandoned vehicles; they will tag and tow it.",
    "graffiti": "We have passed this to the city's graffiti removal team, who aim to clean it within ten working days.",
    "street-light": "Street lights are City Light's; we have reported the poles and asked for a quick repair because of the safety concern.",
    "dumping": "We have asked Seattle Public Utilities to clear the dumping.",
    "noise": "We have referred this to the neighbourhood mediation service, who will contact both sides.",
    "antisocial-behaviour": "The outreach team will visit and offer support; our officers will keep checking in.",
    "drug-dealing": "This has been passed to the narcotics unit, who are building a case.",
    "harassment": "We have put you in touch with victim support; the officer handling this will stay in contact.",
}

# Hours of the day each kind of report is made at (24h clock), as weights by hour.
_EVENING = [1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 7, 7, 6, 5, 3]
_NIGHT = [6, 5, 3, 2, 1, 1, 1, 2, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 8, 8]
_COMMUTE = [0, 0, 0, 0, 1, 2, 5, 9, 9, 5, 3, 3, 3, 3, 4, 6, 8, 8, 5, 3, 2, 1, 1, 0]
_DAYTIME = [0, 0, 0, 0, 0, 1, 2, 4, 6, 7, 7, 6, 6, 6, 6, 5, 5, 4, 4, 3, 2, 1, 1, 0]
HOURS = {
    "noise": _NIGHT,
    "speeding": _COMMUTE,
    "antisocial-behaviour": _EVENING,
    "drug-dealing": _EVENING,
    "street-light": _EVENING,
    "suspicious-activity": _NIGHT,
}
# Noise is mostly a weekend matter; the others are filed more on weekdays.
WEEKEND_WEIGHT = {"noise": 3.0, "antisocial-behaviour": 1.8}

MAKES = ["Honda Civic", "Toyota Camry", "Ford Transit", "Subaru Outback", "Chevrolet Express"]
LANDMARKS = [
    "By the bus stop",
    "Corner by the corner store",
    "Alley behind the shops",
    "Entrance to the park",
    "Outside the library",
    "Under the overpass",
    "Next to the community centre",
    "",
    "",
    "",
]


@dataclass(frozen=True)
class ReportsSummary:
    categories_created: int
    questions_created: int
    reports_created: int
    updates_created: int


@dataclass
class _Team:
    officers: list[User] = field(default_factory=list)


def load_reports(
    force: Force, *, seed: int = DEMO_SEED, today: datetime.date | None = None
) -> ReportsSummary:
    """The demo's categories and reports for ``force``, writing only what is missing.

    The same seed and day give the same reports; a second run writes nothing.
    Call after the demo city is loaded: reports are spread over its neighbourhoods
    and answered by their teams.
    """
    with transaction.atomic():
        categories, categories_created, questions_created = _ensure_categories(force)
        reports, updates = _plan_reports(
            force, categories, seed=seed, now=_end_of(today or timezone.localdate())
        )
        known = dict(
            Report.staff_objects.filter(
                external_id__in=[report.external_id for report in reports]
            ).values_list("external_id", "pk")
        )
        reports = [report for report in reports if report.external_id not in known]
        created = {report.external_id for report in reports}
        for report in reports:
            original = report.duplicate_of
            if original is not None and original.external_id in known:
                # Only after the city grew: the original was written by an earlier run.
                report.duplicate_of = Report.staff_objects.get(pk=known[original.external_id])
        # Originals first: a duplicate points at a row that must already exist.
        Report.staff_objects.bulk_create(
            [report for report in reports if report.duplicate_of is None], batch_size=500
        )
        Report.staff_objects.bulk_create(
            [report for report in reports if report.duplicate_of is not None], batch_size=500
        )
        new_updates = [update for update in updates if update.report.external_id in created]
        ReportUpdate.objects.bulk_create(new_updates, batch_size=500)
    return ReportsSummary(
        categories_created=categories_created,
        questions_created=questions_created,
        reports_created=len(reports),
        updates_created=len(new_updates),
    )


def _end_of(day: datetime.date) -> datetime.datetime:
    """The day's first moment: a fixed "now" for the whole day, so a run in the morning or
    at night plans the same reports, and none is dated after the moment of the run (noon
    was, for a run just after midnight)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))


def _ensure_categories(force: Force) -> tuple[dict[str, Category], int, int]:
    existing = {category.code: category for category in Category.objects.filter(force=force)}
    categories_created = questions_created = 0
    for position, spec in enumerate(CATEGORIES):
        category = existing.get(spec.code)
        if category is None:
            category = Category.objects.create(
                force=force,
                code=spec.code,
                name=spec.name,
                description=spec.description,
                group=spec.group[0],
                translations={
                    "es": {
                        "name": spec.name_es,
                        "description": spec.description_es,
                        "group": spec.group[1],
                    }
                },
                kind=spec.kind,
                is_sensitive=spec.is_sensitive,
                handled_by=spec.handled_by,
                keywords=spec.keywords,
                position=position,
            )
            existing[spec.code] = category
            categories_created += 1
        asked = set(category.questions.values_list("code", flat=True))
        for question_position, question in enumerate(spec.questions):
            if question.code in asked:
                continue
            translation: dict[str, Any] = {"prompt": question.prompt_es}
            if question.help_text_es:
                translation["help_text"] = question.help_text_es
            if question.choices:
                translation["choices"] = {key: name_es for key, _name, name_es in question.choices}
            CategoryQuestion.objects.create(
                category=category,
                code=question.code,
                prompt=question.prompt,
                help_text=question.help_text,
                datatype=question.datatype,
                choices=[{"key": key, "name": name} for key, name, _es in question.choices],
                translations={"es": translation},
                position=question_position,
            )
            questions_created += 1
    return existing, categories_created, questions_created


def _teams(force: Force) -> dict[int, list[User]]:
    """Neighbourhood id -> the officers who serve it now, neighbourhood officers first."""
    order = [
        TeamRole.NEIGHBOURHOOD_OFFICER,
        TeamRole.SECTOR_OFFICER,
        TeamRole.LIAISON_OFFICER,
        TeamRole.SUPERVISOR,
    ]
    teams: dict[int, list[User]] = defaultdict(list)
    assignments = (
        TeamAssignment.objects.current()
        .filter(neighbourhood__force=force, officer__user__is_active=True)
        .select_related("officer__user")
        .order_by("neighbourhood_id", "officer__user__email")
    )
    for assignment in sorted(
        (assignment for assignment in assignments if assignment.role in order),
        key=lambda assignment: order.index(assignment.role),
    ):
        user = assignment.officer.user
        if user not in teams[assignment.neighbourhood_id]:
            teams[assignment.neighbourhood_id].append(user)
    return teams


def _plan_reports(
    force: Force,
    categories: dict[str, Category],
    *,
    seed: int,
    now: datetime.datetime,
) -> tuple[list[Report], list[ReportUpdate]]:
    rng = random.Random(f"{seed}:reports")  # noqa: S311 (made-up data, not secrets)
    neighbourhoods = list(Neighbourhood.objects.filter(force=force).order_by("code"))
    teams = _teams(force)
    residents = {
        user.email: user
        for user in User.objects.filter(email__in=[email for email, *_ in DEMO_RESIDENTS])
    }
    homes = {home: email for email, _name, _language, home in DEMO_RESIDENTS}
    served = [n for n in neighbourhoods if teams.get(n.pk)]
    counts = _reports_per_neighbourhood(served, rng)
    planner = _ReportPlanner(rng=rng, categories=categories, now=now, force=force)
    for neighbourhood in served:
        resident = residents.get(homes.get(neighbourhood.code, ""))
        for index in range(counts[neighbourhood.pk]):
            report = planner.add(
                neighbourhood,
                team=teams[neighbourhood.pk],
                resident=resident if index < 3 else None,
            )
            # Someone else reports the same thing a little later: a duplicate to merge.
            repeat_by = report.created_at + datetime.timedelta(hours=24 * 7)
            if (
                report.kind != ReportKind.TIP
                and report.status != Status.NEW
                and repeat_by < now
                and rng.random() < DUPLICATE_CHANCE
            ):
                planner.add(
                    neighbourhood, team=teams[neighbourhood.pk], resident=None, repeats=report
                )
    return planner.reports, planner.updates


def _reports_per_neighbourhood(
    neighbourhoods: list[Neighbourhood], rng: random.Random
) -> dict[int, int]:
    counts = {n.pk: MIN_REPORTS_PER_NEIGHBOURHOOD for n in neighbourhoods}
    if neighbourhoods:
        weights = [max(n.population or 0, 100) for n in neighbourhoods]
        for chosen in rng.choices(neighbourhoods, weights, k=EXTRA_REPORTS):
            counts[chosen.pk] += 1
    return counts


class _ReportPlanner:
    """Draws reports and their histories one by one from one seeded generator."""

    def __init__(
        self,
        *,
        rng: random.Random,
        categories: dict[str, Category],
        now: datetime.datetime,
        force: Force,
    ) -> None:
        self.rng = rng
        self.categories = categories
        self.now = now
        self.force = force
        self.reports: list[Report] = []
        self.updates: list[ReportUpdate] = []
        self._shapes: dict[int, Any] = {}
        self._references: set[str] = set()

    def add(
        self,
        neighbourhood: Neighbourhood,
        *,
        team: list[User],
        resident: User | None,
        repeats: Report | None = None,
    ) -> Report:
        """Plan one report; one that ``repeats`` another is about the same thing, a little later."""
        rng = self.rng
        if repeats is None:
            spec = rng.choices(CATEGORIES, [spec.weight for spec in CATEGORIES])[0]
            is_tip = spec.kind == CategoryKind.CONCERN and rng.random() < 0.08
            latitude, longitude = self._point_in(neighbourhood)
            created_at = self._moment(spec.code)
        else:
            spec = next(spec for spec in CATEGORIES if spec.code == repeats.category.code)
            is_tip = False
            latitude, longitude = self._point_near(repeats, neighbourhood)
            created_at = repeats.created_at + datetime.timedelta(hours=rng.uniform(2, 24 * 7))
        category = self.categories[spec.code]
        spanish = "es" in (neighbourhood.languages or []) and rng.random() < 0.35
        if resident is not None:
            spanish = resident.preferred_language == "es"
        report = Report(
            reference=self._reference(),
            kind=ReportKind.SUSPICIOUS_ACTIVITY
            if spec.kind == CategoryKind.SUSPICIOUS_ACTIVITY
            else ReportKind.TIP
            if is_tip
            else ReportKind.CONCERN,
            force=self.force,
            category=category,
            neighbourhood=neighbourhood,
            description=self._description(spec.code, tip=is_tip, spanish=spanish),
            latitude=latitude,
            longitude=longitude,
            address=rng.choice(LANDMARKS),
            language="es" if spanish else "en",
            source=rng.choices([Source.WEB, Source.API, Source.OPEN311], [8, 1, 1])[0],
            external_id=f"{EXTERNAL_ID_PREFIX}{len(self.reports) + 1:04d}",
            created_at=created_at,
            public_updated_at=created_at,
            priority=Priority.NORMAL,
        )
        report.public_latitude, report.public_longitude = public_point(latitude, longitude)
        if spec.code in {"drug-dealing", "harassment"} or rng.random() < 0.08:
            report.priority = Priority.HIGH if rng.random() < 0.5 else Priority.NORMAL
        elif rng.random() < 0.15:
            report.priority = Priority.LOW
        if report.kind == ReportKind.SUSPICIOUS_ACTIVITY:
            details = dict(rng.choice(SUSPICIOUS_DETAILS))
            details["seen_at"] = created_at.isoformat(timespec="minutes")
            report.details = {key: value for key, value in details.items() if value}
        if not is_tip:
            report.answers = self._answers(spec, created_at)
        self._identify(report, resident=resident)
        report.duplicate_of = repeats
        self._history(report, spec=spec, team=team)
        self.reports.append(report)
        return report

    # -- where, when, who ---------------------------------------------------------------------

    def _point_in(self, neighbourhood: Neighbourhood) -> tuple[float, float]:
        """A point the spatial index places in this neighbourhood (not on a shared border)."""
        if neighbourhood.pk not in self._shapes:
            geometry = shape(neighbourhood.boundary)
            self._shapes[neighbourhood.pk] = (geometry.bounds, prep(geometry), geometry)
        (west, south, east, north), prepared, geometry = self._shapes[neighbourhood.pk]
        for _attempt in range(1000):
            longitude = self.rng.uniform(west, east)
            latitude = self.rng.uniform(south, north)
            if not prepared.contains(Point(longitude, latitude)):
                continue
            ref = locate_neighbourhood_ref(latitude, longitude)
            if ref is not None and ref.id == neighbourhood.pk:
                return round(latitude, 6), round(longitude, 6)
        point = geometry.representative_point()
        return point.y, point.x

    def _point_near(self, report: Report, neighbourhood: Neighbourhood) -> tuple[float, float]:
        """A point within about 100 m of a report's, in the same neighbourhood."""
        for _attempt in range(100):
            latitude = round(report.latitude + self.rng.uniform(-0.0009, 0.0009), 6)
            longitude = round(report.longitude + self.rng.uniform(-0.0013, 0.0013), 6)
            ref = locate_neighbourhood_ref(latitude, longitude)
            if ref is not None and ref.id == neighbourhood.pk:
                return latitude, longitude
        return report.latitude, report.longitude

    def _moment(self, code: str) -> datetime.datetime:
        rng = self.rng
        weekend = WEEKEND_WEIGHT.get(code, 0.8)
        days = list(range(1, DAYS_OF_HISTORY))
        weights = [
            weekend if (self.now - datetime.timedelta(days=day)).weekday() >= 5 else 1.0
            for day in days
        ]
        day = rng.choices(days, weights)[0]
        hour = rng.choices(range(24), HOURS.get(code, _DAYTIME))[0]
        local = timezone.localtime(self.now - datetime.timedelta(days=day))
        return local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))

    def _reference(self) -> str:
        while True:
            code = random_code(8, rng=self.rng)
            if code not in self._references:
                self._references.add(code)
                return code

    def _description(self, code: str, *, tip: bool, spanish: bool) -> str:
        if tip:
            return self.rng.choice(TIPS_ES if spanish else TIPS)
        return self.rng.choice((DESCRIPTIONS_ES if spanish else DESCRIPTIONS)[code])

    def _answers(self, spec: DemoCategory, created_at: datetime.datetime) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.3:
            return {}
        answers: dict[str, Any] = {}
        for question in spec.questions:
            if question.code == "vehicle-make":
                answers[question.code] = rng.choice(MAKES)
            elif question.code == "licence-plate":
                answers[question.code] = f"{rng.randrange(100, 999)}-{rng.choice('BCDFKLMRTX')}"
            elif question.code == "pole-number" and rng.random() < 0.5:
                answers[question.code] = f"{rng.randrange(1000, 9999)}"
            elif question.datatype == QuestionType.SINGLE_CHOICE:
                answers[question.code] = rng.choice(question.choices)[0]
            elif question.datatype == QuestionType.MULTIPLE_CHOICE:
                keys = [key for key, _name, _es in question.choices]
                answers[question.code] = sorted(rng.sample(keys, rng.randint(1, 2)))
            elif question.datatype == QuestionType.DATETIME:
                answers[question.code] = created_at.isoformat()
        return answers

    def _identify(self, report: Report, *, resident: User | None) -> None:
        """Who made it: a demo resident, contact details, or nobody (tips never anyone)."""
        rng = self.rng
        if report.kind == ReportKind.TIP:
            report.language = ""  # a tip keeps nothing that could point to its sender
            code = random_code(16, rng=rng)
            report.follow_up_code_hash = hash_follow_up_code(code)
            return
        if resident is not None:
            report.reporter = resident
            report.is_private = rng.random() < 0.25
            return
        if rng.random() < 0.45:
            name = people.full_name(rng)
            report.contact_name = name
            report.contact_email = f"{people.email_local_part(name)}@example.invalid"
        elif rng.random() < 0.5:
            # An anonymous report without contact details still gets a follow-up code.
            code = random_code(16, rng=rng)
            report.follow_up_code_hash = hash_follow_up_code(code)
        report.is_private = rng.random() < 0.08

    # -- history -------------------------------------------------------------------------------

    def _status_for(self, report: Report, spec: DemoCategory) -> str:
        if report.duplicate_of is not None:
            return Status.DUPLICATE
        age = (self.now - report.created_at).days
        rng = self.rng
        if age < 3:
            return rng.choices([Status.NEW, Status.ACKNOWLEDGED], [3, 1])[0]
        weights = {
            Status.NEW: 1 if age < 14 else 0.3,
            Status.ACKNOWLEDGED: 2 if age < 30 else 0.5,
            Status.IN_PROGRESS: 2,
            Status.REFERRED: 2 if spec.code in PARTNERS else 0,
            Status.RESOLVED: 2 + age / 20,
        }
        return rng.choices(list(weights), list(weights.values()))[0]

    def _history(self, report: Report, *, spec: DemoCategory, team: list[User]) -> None:
        rng = self.rng
        status = self._status_for(report, spec)
        report.status = status
        officer = team[0]
        spanish = report.language == "es"
        clock = _Clock(report.created_at, self.now, rng)
        if status == Status.NEW:
            if rng.random() < 0.3:
                self._update(report, UpdateKind.NOTE, rng.choice(NOTES), clock.next(), officer)
            report.updated_at = clock.last
            return
        report.acknowledged_at = clock.next(hours=(1, 48))
        acknowledgement = rng.choice(ACKNOWLEDGEMENTS_ES if spanish else ACKNOWLEDGEMENTS)
        self._update(
            report,
            UpdateKind.STATUS,
            acknowledgement,
            report.acknowledged_at,
            officer,
            before=Status.NEW,
            after=Status.ACKNOWLEDGED,
        )
        if rng.random() < 0.5 and status != Status.DUPLICATE:
            report.assigned_to = rng.choice(team[:2])
            self._update(report, UpdateKind.ASSIGNMENT, "", clock.next(), officer)
        if rng.random() < 0.4:
            self._update(report, UpdateKind.NOTE, rng.choice(NOTES), clock.next(), officer)
        if status == Status.DUPLICATE:
            original = report.duplicate_of
            assert original is not None  # noqa: S101 (chosen with the status)
            self._update(
                report,
                UpdateKind.MERGE,
                f"This report is followed up with report {original.reference}.",
                clock.next(),
                officer,
                before=Status.ACKNOWLEDGED,
                after=Status.DUPLICATE,
            )
            report.resolved_at = clock.last
        elif status != Status.ACKNOWLEDGED:
            self._work(report, status=status, spec=spec, team=team, clock=clock)
        report.updated_at = clock.last

    def _work(
        self,
        report: Report,
        *,
        status: str,
        spec: DemoCategory,
        team: list[User],
        clock: _Clock,
    ) -> None:
        rng = self.rng
        officer = report.assigned_to or team[0]
        before = Status.ACKNOWLEDGED
        if status == Status.IN_PROGRESS or (status == Status.RESOLVED and rng.random() < 0.7):
            self._update(
                report,
                UpdateKind.STATUS,
                PROGRESS[spec.code],
                clock.next(),
                officer,
                before=before,
                after=Status.IN_PROGRESS,
            )
            before = Status.IN_PROGRESS
            if rng.random() < 0.4:
                self._update(report, UpdateKind.PUBLIC, PROGRESS[spec.code], clock.next(), officer)
        if status == Status.REFERRED:
            report.referred_to = PARTNERS[spec.code]
            self._update(
                report,
                UpdateKind.REFERRAL,
                REFERRAL_NOTES[spec.code],
                clock.next(),
                officer,
                before=before,
                after=Status.REFERRED,
            )
        elif status == Status.RESOLVED:
            report.resolved_at = clock.next(hours=(24, 24 * 21))
            self._update(
                report,
                UpdateKind.STATUS,
                RESOLUTIONS[spec.code],
                report.resolved_at,
                officer,
                before=before,
                after=Status.RESOLVED,
            )

    def _update(
        self,
        report: Report,
        kind: str,
        text: str,
        at: datetime.datetime,
        author: User,
        *,
        before: str = "",
        after: str = "",
    ) -> None:
        # As the services keep it: the public time moves with public updates only.
        is_public = kind not in (UpdateKind.NOTE, UpdateKind.ASSIGNMENT)
        if is_public:
            report.public_updated_at = max(report.public_updated_at, at)
        self.updates.append(
            ReportUpdate(
                report=report,
                kind=kind,
                author=author,
                text=text,
                # As the services write them: notes and assignments stay inside the team.
                is_public=is_public,
                status_before=before,
                status_after=after,
                created_at=at,
            )
        )


class _Clock:
    """Moments after a start, each after the last and none after ``end``."""

    def __init__(
        self, start: datetime.datetime, end: datetime.datetime, rng: random.Random
    ) -> None:
        self.last = start
        self.end = end
        self.rng = rng

    def next(self, *, hours: tuple[float, float] = (0.5, 72)) -> datetime.datetime:
        step = datetime.timedelta(hours=self.rng.uniform(*hours))
        # Squeeze into what is left before ``end``, keeping the order strict.
        remaining = self.end - self.last
        if step >= remaining:
            step = remaining * self.rng.uniform(0.1, 0.5)
        self.last = self.last + step
        return self.last
