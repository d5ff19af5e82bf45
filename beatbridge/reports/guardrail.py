"""The suspicious-activity guardrail: a report must say what the person did.

A suspicious-activity report asks first what the person *did* (behaviour, time,
direction, vehicle) and only then what they looked like. This module decides whether
the behaviour given is enough to send the report on, or whether to hand it back to
the reporter with a plain explanation of why and what to add.

It is a short list of named rules over word lists, not a classifier, and it is meant
to be read. Each rule is tried in order and the first that applies is the result:

1. ``no_behaviour``: the behaviour field is empty.
2. ``appearance_only``: the behaviour field speaks of appearance, group or "not
   belonging" (race, ethnicity, religion or religious dress, nationality, skin,
   clothing such as a hoodie, "looked suspicious", "didn't belong", "out of place",
   "wrong neighbourhood"...) and nowhere in the report is there an observable action.
3. ``vague``: the behaviour field only says the person seemed suspicious, stood,
   walked or hung around, and nowhere in the report is there an observable action.
4. ``too_short``: the behaviour field has fewer than 15 characters or 3 words.

An *observable action* is any phrase from the action list: something a person does
(trying door handles, looking into cars, following someone, climbing a fence,
breaking, selling, handing over packages...), a tool or weapon seen, or a stated
length or frequency ("for 40 minutes", "three times"), which turns "standing outside
the school" into something an officer can weigh. Actions are looked for in every
field, including the description, so a reporter who wrote what happened in the
wrong box is not sent back; appearance and vagueness are looked for in the
behaviour field only, because the description is where appearance belongs.

The rules lean towards letting a report through. Text they recognise nothing in
passes: the word lists cannot know every way of saying what someone did, and a
report held back wrongly costs more than one sent on for a person to read. A report
held back is a prompt to add behaviour, never a verdict on the reporter.

Matching ignores case, accents and apostrophes ("didn't" is "didnt", "está" is
"esta") and works on whole words. Each language has its own word lists in
``VOCABULARIES`` (keyed by language code) and every list is used whatever language
the site is shown in, since people write in the language they think in. A phrase is
words separated by spaces, where ``a|b`` is either word, ``word*`` is any word
beginning so, ``#`` is a number written in digits, and a trailing ``?`` makes the whole
slot optional: ``"for about|over? # minute*|hour*"``. A space always starts a new slot,
so two-word alternatives ("sin papeles") are phrases of their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BEHAVIOUR_FIELD = "behaviour"
MIN_BEHAVIOUR_CHARACTERS = 15
MIN_BEHAVIOUR_WORDS = 3


@dataclass(frozen=True)
class Vocabulary:
    """One language's phrases (see the module docstring for the phrase syntax)."""

    # Something observable: an action, a tool or weapon seen, how long or how often.
    actions: tuple[str, ...]
    # Appearance, group or belonging: never a reason on its own.
    identity: tuple[str, ...]
    # "Suspicious", "standing around": a feeling or a presence, not an action.
    vague: tuple[str, ...]


ENGLISH = Vocabulary(
    actions=(
        # Getting into cars and buildings
        "try|tries|tried|trying|check|checks|checked|checking|test|tested|testing|pull|pulled"
        "|pulling the|a|my|our|your|each|every|all|their|his|her|people's? "
        "car|front|back|side|garage? door|doors|handle|handles|lock|locks|window|windows"
        "|gate|gates|cars",
        "try|tries|tried|trying to open|get|break|force|climb|enter|steal|take",
        "door handle*",
        "break|breaks|breaking|broke|broken in|into|down|open",
        "smash*",
        "forcing|forced|prying|pried|prised|prising|jimmied|jimmying|jemmied",
        "pick|picked|picking the|a? lock|locks",
        "rattl*",
        "jiggl*",
        "climb*",
        "clamber*",
        "scaled|scaling",
        "jump|jumped|jumping|hop|hopped|hopping over|the|a fence|wall|gate",
        "went|got|getting|crept|creeping|sneaked|sneaking|snuck into|inside|over|through",
        "enter|entered|entering|trespass*|prowl*",
        "look|looks|looked|looking|peer|peered|peering|peek|peeked|peeking|peep|peeping"
        "|stare|stared|staring into|inside|through|under|in",
        "stare|stared|staring",
        "look|looks|looked|looking at the|my|our|each|every|all|parked|peoples? "
        "house|houses|car|cars|window|windows|door|doors|gardens",
        "crouch*",
        "hid|hide|hides|hiding",
        # Watching and following people
        "follow*",
        "chase|chased|chasing",
        "stalk*",
        "approach*",
        "watch|watched|watching|filming|filmed|photograph*",
        "took|taking|take photos|photo|pictures|picture|video|videos",
        "knock|knocked|knocking|rang|ringing|ring doorbell*|door|doors|on",
        # Taking, harming, threatening
        "steal|steals|stealing|stole|stolen|theft|thief|thieves|rob|robbed|robbing|robbery",
        "burglar*",
        "burgl*",
        "shoplift*",
        "mug|mugged|mugging",
        "snatch*",
        "grab|grabbed|grabbing",
        "push|pushed|pushing|shove|shoved|shoving",
        "hit|hits|hitting|punch*|kick|kicked|kicking|slap*|stab|stabbed|stabbing|beating",
        "attack*",
        "assault*",
        "fight|fighting|fought",
        "shoot|shooting|shot|shots|fired|firing",
        "threaten*",
        "shout*",
        "yell*",
        "scream*",
        "harass*",
        "intimidat*",
        "expos*",
        "vandal*",
        "graffiti",
        "spray|sprayed|spraying",
        "tagging|tagged",
        "keyed|keying",
        "set fire",
        "started a fire",
        "arson",
        "dump|dumped|dumping",
        "threw|throw|throwing",
        # Drugs and trade
        "sell|sells|selling|sold|dealing|dealer|dealers",
        "deal drugs",
        "buy|buying|bought",
        "exchang*",
        "swap|swapped|swapping",
        "hand|hands|handed|handing|pass|passed|passing|gave|giving|give over? "
        "something|package|packages|packet|packets|bag|bags|money|cash|drugs",
        "package|packages|packet|packets",
        "drug|drugs",
        "inject*",
        "needle|needles|syringe|syringes",
        # Tools and weapons seen
        "crowbar*",
        "bolt cutter|cutters",
        "lock pick|picks",
        "screwdriver*",
        "tool|tools",
        "slim jim",
        "knife|knives|blade|machete|gun|guns|pistol|firearm|weapon|weapons",
        # Vehicles doing something
        "drove|driving|drive|sped|speeding off|away|past|by|slowly",
        "without lights",
        "ran|run|running away|off",
        "fled|flee|fleeing",
        "circl*",
        "crash*",
        # How long and how often
        "for about|around|over|nearly|almost|roughly|at? least? # min|mins|minute*|hour*|hr|hrs",
        "for about|around|over|nearly|almost|roughly? a|an|one|two|three|four|five|ten|fifteen"
        "|twenty|thirty|forty|fifty|several|many minute*|hour*|min|mins",
        "for a few|couple of? minute*|hour*",
        "for half an hour",
        "for hours",
        "# times",
        "twice",
        "several|many|multiple|three|four|five times",
        "repeatedly",
        "again and again",
        "every night|day|morning|evening|afternoon|weekend",
    ),
    identity=(
        # Race and ethnicity, when they describe the person
        "young|old|older|tall|teenage? black|white|brown|asian|hispanic|latino|latina|arab"
        "|indian|african|mexican|chinese|somali|eastern|middle|native|mixed|gypsy|foreign "
        "eastern? european|american? "
        "man|men|guy|guys|woman|women|male|males|female|females|kid|kids|teen|teens|teenager"
        "|teenagers|person|people|youth|youths|boy|boys|girl|girls|lad|lads|dude|dudes"
        "|gentleman|lady|ladies|individual|individuals|family|families|group|couple",
        "race",
        "racial*",
        "ethnic*",
        "hispanic*",
        "latino|latinos|latina|latinas|latinx",
        "gypsy|gypsies|gipsy|roma|romani",
        "immigrant|immigrants|migrant|migrants|illegals|foreigner|foreigners|foreign",
        "nationality",
        "skin|skinned|complexion",
        "accent",
        # Religion and religious dress
        "religion|religious",
        "muslim|muslims|islamic|jew|jews|jewish|sikh|sikhs|hindu|hindus",
        "hijab|hijabs|headscarf|headscarves|burqa|burka|niqab|turban|turbans|kippah|yarmulke"
        "|veil|veiled",
        # Clothing and looks
        "hoodie|hoodies|hoody|hooded",
        "hood up",
        "tracksuit|tracksuits",
        "baggy",
        "wearing|wore|wears|dressed",
        "tattoo|tattoos|tattooed",
        "beard|bearded",
        "dreadlocks|dreads|cornrows",
        "appearance",
        "look|looks|looked|looking|seemed|seems|seem suspicious|shady|dodgy|sketchy|sus|off"
        "|strange|odd|weird|foreign|like|rough|dangerous|threatening|homeless|poor"
        "|dirty|scruffy",
        "suspicious|shady|dodgy|sketchy|rough|scary|creepy|strange|weird|odd looking",
        "the way he|she|they looked|dressed",
        "homeless",
        "thug|thugs",
        # Belonging
        "belong|belonged|belongs|belonging",
        "out of place",
        "not from around? here|this|the|round",
        "not local",
        "dont|didnt|not recognise|recognize|recognised|recognized",
        "never seen him|her|them|this|before",
        "dont|doesnt|didnt|not live|living here|around|in",
        "wrong neighbourhood|neighborhood|area|street|part|side",
    ),
    vague=(
        "suspicious|suspiciously|suspect|sus|suss|sketchy|shady|dodgy|strange|strangely|weird"
        "|odd|oddly|creepy|funny|unusual",
        "no good",
        "acting|behaving|acted|behaved",
        "standing|stood|sitting|sat|waiting|waited|hanging|hung|lingering|lingered|loiter*"
        "|lurk*|wander*|walking|walked|strolling|pacing|roaming",
        "looking around",
        "driving around",
        "nothing",
        "anything",
    ),
)

SPANISH = Vocabulary(
    actions=(
        "intent*|trat*|prob* de? abrir|forzar|entrar|robar|romper|saltar|las|los|la|el",
        "prob*|tir* las|los|la|el? puerta|puertas|manilla|manillas|manija|manijas"
        "|picaporte|picaportes|coche|coches|carro|carros",
        "manilla|manillas|manija|manijas|picaporte|picaportes|cerradura|cerraduras",
        "forz*",
        "forcej*",
        "romp*",
        "rompio|rompieron|roto|rota|rotos|rotas",
        "abri|abrio|abrieron|abriendo",
        "robo|robos|robar|robando|robaba|robaron|roba|hurt*",
        "asalt*",
        "atrac*",
        "trep*",
        "escalo|escalaba|escalando|escalaron|escalar",
        "salt*",
        "entro|entraron|entrando|entrar|entraba|metiendose",
        "se metio",
        "mir*|asom* dentro",
        "mir*|asom*|fisg* por|en|a? el|la|los|las|un|una|unos|unas? coche|coches|carro|carros"
        "|auto|autos|ventana|ventanas|ventanilla|ventanillas|casa|casas|portal|portales"
        "|jardin|jardines|buzon|buzones",
        "vigil*",
        "espi*",
        "fotografi*",
        "grab*",
        "film*",
        "siguiendo|siguio|siguieron|seguia|seguian|segui|persigu*|perseg*",
        "acerc*",
        "llam* a las? puertas|timbres|puerta|timbre",
        "golpe*",
        "peg*",
        "empuj*",
        "atac*",
        "agred*",
        "pele*",
        "amenaz*",
        "grit*",
        "insult*",
        "acos*",
        "disparo|disparos|disparando|dispararon",
        "pintando|pintado|pintaron|pintada|pintadas|grafiti|grafitis",
        "vend*|compr*",
        "intercambi*",
        "paquete|paquetes|dinero|droga|drogas",
        "jeringa*|jeringuilla*",
        "palanca|palancas|ganzua|ganzuas|destornillador*|herramienta*|cizalla*",
        "cuchillo*|navaja*|pistola*|arma|armas|armado|armada|machete*",
        "huy*|hui|escap*",
        "salio|salieron corriendo",
        "durante|por mas? de? #|un|una|media|dos|tres|cuatro|cinco|diez|quince|veinte|treinta"
        "|varios|varias|unos|unas minuto|minutos|hora|horas",
        "mas|casi de? #|una|media minuto|minutos|hora|horas",
        "#|varias|muchas|dos|tres|cuatro|repetidas veces",
        "cada noche|dia|manana|tarde",
        "todas las noches|tardes|mananas",
        "todos los dias",
    ),
    identity=(
        "hombre|hombres|mujer|mujeres|chico|chicos|chica|chicas|tipo|tipos|senor|senora"
        "|joven|jovenes|persona|personas|gente|individuo|individuos|sujeto|sujetos|muchacho"
        "|muchachos|muchacha|muchachas|nino|ninos|nina|ninas|chaval|chavales|pareja|grupo "
        "joven|jovenes? negro|negra|negros|negras|moreno|morena|morenos|morenas|gitano"
        "|gitana|gitanos|gitanas|arabe|arabes|latino|latina|latinos|latinas|asiatico|asiatica"
        "|asiaticos|africano|africana|africanos|extranjero|extranjera|extranjeros|sudamericano"
        "|sudamericanos|marroqui|marroquies|rumano|rumanos|chino|china|chinos|blanco|blanca",
        "un|una|unos|unas|el|la|los|las negro|negra|negros|negras|moro|moros|gitano"
        "|gitana|gitanos|gitanas|latino|latinos|sudaca|sudacas|arabe|arabes",
        "gitano|gitana|gitanos|gitanas",
        "moro|moros",
        "sudaca|sudacas",
        "musulman|musulmana|musulmanes|musulmanas|judio|judia|judios|judias",
        "inmigrante|inmigrantes|ilegales|extranjero|extranjera|extranjeros",
        "sin papeles",
        "raza|racial|etnia|etnico|etnica|nacionalidad",
        "color de piel",
        "piel oscura|negra|morena|clara|blanca",
        "persona|personas|hombre|hombres|mujer|mujeres|gente|chico|chicos|chica|chicas de color",
        "religion|religioso|religiosa",
        "velo|hiyab|hijab|burka|burca|niqab|panuelo|turbante|kipa",
        "capucha|encapuchado|encapuchada|encapuchados|sudadera|sudaderas|chandal",
        "vestido|vestida|vestidos|vestidas|vestia",
        "llevaba puesto|puesta",
        "tatuaje|tatuajes|tatuado|tatuada|barba|barbudo",
        "pinta|aspecto|apariencia",
        "parecia|parecian|parece|parecen sospechoso|sospechosa|sospechosos|extranjero"
        "|extranjera|extranjeros|raro|rara|raros|un|una|unos|unas",
        "no es|era|son|eran de aqui",
        "no es|era|son|eran del barrio",
        "no es|era|son|eran de la|esta zona",
        "fuera de lugar",
        "no encaj*",
        "no pintaba nada",
    ),
    vague=(
        "sospechos*",
        "raro|rara|raros|raras|extrano|extrana|extranos|extranas",
        "actitud",
        "merode*",
        "dando vueltas",
        "paseando|andando|caminando|rondando|esperando|mirando",
        "parado|parada|parados|quieto|quieta|sentado|sentada|sentados",
        "de pie",
        "no hacia nada",
        "nada",
        "por ahi|alli|alla",
    ),
)

VOCABULARIES: dict[str, Vocabulary] = {"en": ENGLISH, "es": SPANISH}


@dataclass(frozen=True)
class GuardrailResult:
    """What the guardrail decided. When it did not pass, ``rule`` is a stable id to
    count by, and ``message`` (in the active language) goes on the form ``field``."""

    passed: bool
    rule: str
    message: str
    field: str


@dataclass(frozen=True)
class Account:
    """A report's text as the rules see it: folded, in words."""

    behaviour: str
    everything: str
    behaviour_characters: int

    @property
    def behaviour_words(self) -> int:
        return len(self.behaviour.split())


@dataclass(frozen=True)
class Rule:
    id: str
    # For staff counting how often each rule sends a report back.
    label: Promise
    applies: Callable[[Account], bool]
    message: Promise


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.findall(r"\w+", bare.replace("'", "").replace("\u2019", ""))


def fold(text: str) -> str:
    """Lower case, no accents or apostrophes, one space between words and at each end."""
    words = _words(text)
    return f" {' '.join(words)} " if words else ""


def _alternative(word: str) -> str:
    if word == "#":
        return r"\d+"
    if word.endswith("*"):
        return re.escape(" ".join(_words(word[:-1]))) + r"\w*"
    return re.escape(" ".join(_words(word)))


def _phrase_pattern(phrase: str) -> str:
    pattern = ""
    for slot in phrase.split():
        optional = slot.endswith("?")
        alternatives = "|".join(_alternative(word) for word in slot.rstrip("?").split("|"))
        step = f"(?:{alternatives}) "
        pattern += f"(?:{step})?" if optional else step
    return pattern


@cache
def _matcher(kind: str) -> re.Pattern[str]:
    phrases = [
        phrase for vocabulary in VOCABULARIES.values() for phrase in getattr(vocabulary, kind)
    ]
    # Folded text starts with a space and every slot ends with one: matches are whole words.
    return re.compile(" (?:" + "|".join(_phrase_pattern(phrase) for phrase in phrases) + ")")


def mentions(folded: str, kind: str) -> bool:
    """Whether folded text holds any phrase of ``kind`` ("actions", "identity", "vague")."""
    return _matcher(kind).search(folded) is not None


def _no_behaviour(account: Account) -> bool:
    return not account.behaviour


def _appearance_only(account: Account) -> bool:
    return mentions(account.behaviour, "identity") and not mentions(account.everything, "actions")


def _vague(account: Account) -> bool:
    return mentions(account.behaviour, "vague") and not mentions(account.everything, "actions")


def _too_short(account: Account) -> bool:
    return (
        account.behaviour_characters < MIN_BEHAVIOUR_CHARACTERS
        or account.behaviour_words < MIN_BEHAVIOUR_WORDS
    )


RULES: tuple[Rule, ...] = (
    Rule(
        id="no_behaviour",
        label=_("No behaviour described"),
        applies=_no_behaviour,
        message=_(
            "Tell us what the person did. What did you see them do, where, and when? "
            "For example: trying car door handles, climbing a fence, or following someone."
        ),
    ),
    Rule(
        id="appearance_only",
        label=_("Appearance or identity only"),
        applies=_appearance_only,
        message=_(
            "Tell us what the person did, not what they looked like. A description of "
            "someone's appearance, race, ethnicity or religion is not a reason to suspect "
            "them. What did you see them do, where, and when? You can describe them "
            "afterwards, in the description."
        ),
    ),
    Rule(
        id="vague",
        label=_("No action described"),
        applies=_vague,
        message=_(
            "Saying someone seemed suspicious or was standing or walking around does not "
            "tell an officer what happened. What did you see them do, where, and for how "
            "long? For example: looking into parked cars, trying door handles, or waiting "
            "outside the same house for 30 minutes."
        ),
    ),
    Rule(
        id="too_short",
        label=_("Too short"),
        applies=_too_short,
        message=_(
            "Tell us a little more about what the person did: what you saw them do, "
            "where, and when."
        ),
    ),
)

RULE_LABELS: dict[str, Promise] = {rule.id: rule.label for rule in RULES}

PASSED = GuardrailResult(passed=True, rule="", message="", field="")


def check_suspicious_activity(
    *, behaviour: str, description: str, vehicle: str = "", direction: str = ""
) -> GuardrailResult:
    """Decide whether a suspicious-activity report describes behaviour.

    Returns ``PASSED``, or the first rule that applies with its message in the active
    language, to be shown on the behaviour field. Pure: it stores and counts nothing.
    """
    account = Account(
        behaviour=fold(behaviour),
        everything=fold(" ".join((behaviour, description, vehicle, direction))),
        behaviour_characters=len(behaviour.strip()),
    )
    for rule in RULES:
        if rule.applies(account):
            return GuardrailResult(
                passed=False, rule=rule.id, message=str(rule.message), field=BEHAVIOUR_FIELD
            )
    return PASSED
