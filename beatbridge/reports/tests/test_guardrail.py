from __future__ import annotations

import pytest
from django.utils import translation

from beatbridge.reports.guardrail import (
    PASSED,
    RULE_LABELS,
    RULES,
    check_suspicious_activity,
    fold,
)


def rule_for(behaviour: str, description: str = "", **fields: str) -> str:
    return check_suspicious_activity(behaviour=behaviour, description=description, **fields).rule


@pytest.mark.parametrize(
    "behaviour",
    [
        "He was trying the door handles of every car parked on Elm Street.",
        "Walked along the row of parked cars looking into each window with a torch.",
        "Two men were carrying a TV out of number 12 while the owners are away, "
        "and the front door was broken.",
        "Someone climbed over the back fence of the school at about 11pm.",
        "A man followed a woman from the bus stop to her door and kept shouting at her.",
        "He stood outside the primary school gate for 40 minutes watching the playground.",
        "The same car drove past my house slowly five times between 9 and 10pm.",
        "Two people were handing small packages to drivers who stopped for a few seconds.",
        "A young black man was trying car doors along Pine Avenue.",  # appearance AND behaviour
        "A woman in a hijab was filming the entrance of the bank and the guards.",
        "Guy in a grey hoodie kicked the side mirror off a parked van.",
        "someone was prying at the lock of the bike shed with a screwdriver",
        "Kids on bikes were throwing stones at the bus shelter.",
        "A man knocking on doors on Oak Street asking which houses are empty at night",
        "He was waiting outside number 4 for over an hour and took photos of the house.",
        "Saw a van parked with the engine running for half an hour by the alley",
        "Tagged the wall of the community centre with spray paint.",
        "Person went into the back garden of number 8 and looked through the windows.",
        "Man selling something from his car boot to people who walked up",
        "Someone smashed the window of the blue Honda and ran off towards the park.",
        "I saw a man at the bus stop near my house last night.",  # nothing recognised: passes
        "dos hombres intentaban abrir las puertas de los coches aparcados",
        "Un chico estaba mirando por las ventanas de las casas de la calle Mayor.",
        "Una mujer siguió a un niño desde el colegio hasta el parque.",
        "Un hombre gitano forzó la cerradura del portal con una palanca.",
        "Estuvo parado delante del colegio durante 40 minutos sacando fotos.",
        "Están vendiendo droga en la esquina de la plaza todas las noches.",
        "Saltaron la valla del almacén y salieron corriendo.",
    ],
)
def test_behaviour_that_describes_what_the_person_did_passes(behaviour):
    assert check_suspicious_activity(behaviour=behaviour, description="") == PASSED


@pytest.mark.parametrize(
    "behaviour",
    [
        "A black man was in our street at 2am.",
        "Young black guy in a hoodie looking suspicious",
        "Suspicious looking Hispanic men near the park.",
        "A Middle Eastern man with a beard near the mosque.",
        "Woman in a burqa on the corner of 5th and Main.",
        "He didn't belong in this neighbourhood.",
        "They looked out of place around here.",
        "Group of teenagers wearing hoodies by the shops.",
        "Some gypsies in a caravan parked on the green.",
        "He was in the wrong neighborhood, not from around here.",
        "Man who looked foreign and had a strong accent.",
        "Saw a Muslim family walking around the estate",
        "A black man walking through the park",
        "Un hombre negro merodeando por el barrio.",
        "Unos gitanos que no son del barrio.",
        "Una mujer con velo y pinta de extranjera.",
        "Tenía mala pinta, no encajaba en la zona.",
        "Un chico con capucha y sudadera, parecía sospechoso.",
    ],
)
def test_behaviour_resting_on_appearance_or_identity_is_sent_back(behaviour):
    result = check_suspicious_activity(behaviour=behaviour, description="")

    assert (result.passed, result.rule, result.field) == (False, "appearance_only", "behaviour")
    assert "not what they looked like" in result.message


@pytest.mark.parametrize(
    "behaviour",
    [
        "Suspicious",
        "He was acting suspicious.",
        "Just standing there on the corner.",
        "Someone walking around the car park.",
        "Hanging around outside the shop",
        "A man loitering near the school",
        "There was something weird about him",
        "He wasn't doing anything, just looking around.",
        "Comportamiento sospechoso en el parque.",
        "Estaba dando vueltas por la calle, muy raro.",
        "Un hombre mirando por ahí.",
    ],
)
def test_behaviour_that_only_says_suspicious_or_standing_around_is_sent_back(behaviour):
    result = check_suspicious_activity(behaviour=behaviour, description="")

    assert (result.passed, result.rule, result.field) == (False, "vague", "behaviour")


@pytest.mark.parametrize("behaviour", ["", "   ", "\n\t", "?!"])
def test_empty_behaviour_is_sent_back(behaviour):
    assert rule_for(behaviour, "Tall, red jacket") == "no_behaviour"


@pytest.mark.parametrize("behaviour", ["Broke window", "theft", "graffiti again", "Robó"])
def test_behaviour_too_short_to_act_on_is_sent_back(behaviour):
    assert rule_for(behaviour) == "too_short"


def test_fifteen_characters_and_three_words_is_long_enough():
    assert rule_for("He stole a bike") == ""


def test_description_full_of_appearance_is_fine_when_behaviour_is_concrete():
    result = check_suspicious_activity(
        behaviour="He tried the handle of every car door along Maple Street.",
        description="Black man, about 30, tall, grey hoodie with the hood up, beard, "
        "tattoo on his neck, looked foreign.",
    )

    assert result.passed


def test_appearance_in_the_description_alone_does_not_count_against_the_report():
    result = check_suspicious_activity(
        behaviour="He was standing near the cash machine for about 20 minutes.",
        description="Hispanic, mid-twenties, baggy jeans.",
    )

    assert result.passed


def test_vague_behaviour_with_appearance_in_the_description_is_still_sent_back():
    assert rule_for("Just walking around the street", "Black guy, hoodie") == "vague"


def test_an_action_written_in_the_description_is_not_held_against_the_reporter():
    assert rule_for("Looked suspicious to me", "Tall man, was trying car door handles") == ""


def test_direction_and_vehicle_count_as_part_of_the_account():
    assert (
        rule_for(
            "A white guy hanging about the shops",
            "",
            vehicle="Silver van, no plates",
            direction="Sped away towards the motorway",
        )
        == ""
    )


def test_vehicle_and_direction_alone_do_not_make_up_for_appearance():
    result = check_suspicious_activity(
        behaviour="Two Asian men in the street",
        description="",
        vehicle="Black BMW",
        direction="North on 3rd Avenue",
    )

    assert result.rule == "appearance_only"


def test_colour_words_describe_things_without_being_read_as_race():
    assert rule_for("A black car parked outside the school all afternoon.") == ""
    assert rule_for("Un coche negro aparcado en la calle toda la tarde.") == ""
    assert rule_for("Una furgoneta de color blanco aparcada en la acera.") == ""


def test_matching_ignores_case_accents_and_apostrophes():
    assert rule_for("HE DIDNT BELONG IN THIS STREET") == "appearance_only"
    assert rule_for("He didn\u2019t belong in this street") == "appearance_only"
    assert rule_for("ESTABA MERODEANDO POR LA ZONA") == "vague"


def test_words_match_only_whole():
    # "skinny" is not "skin", "scared" is not "scar", "hoodwinked" is not "hood".
    assert rule_for("Skinny person I have not seen on this road before today") == ""


def test_fold_keeps_words_and_drops_case_accents_and_punctuation():
    assert fold("¿Está AQUÍ?  Didn't-see!") == " esta aqui didnt see "
    assert fold("...") == ""


@pytest.mark.parametrize(
    ("behaviour", "rule"),
    [
        ("", "no_behaviour"),
        ("A black man was in our street at 2am.", "appearance_only"),
        ("He was acting suspicious.", "vague"),
        ("Broke window", "too_short"),
    ],
)
def test_messages_come_in_the_active_language(behaviour, rule):
    # Spanish may not be translated yet; gettext then gives the English text back.
    with translation.override("es"):
        result = check_suspicious_activity(behaviour=behaviour, description="")

    assert result.rule == rule
    assert result.message.strip()


def test_every_rule_has_a_stable_id_and_a_label_for_staff():
    assert list(RULE_LABELS) == ["no_behaviour", "appearance_only", "vague", "too_short"]
    assert all(str(rule.label) and str(rule.message) for rule in RULES)


def test_appearance_message_explains_why_and_what_to_add():
    result = check_suspicious_activity(behaviour="A black man was in our street.", description="")

    assert result.message == (
        "Tell us what the person did, not what they looked like. A description of "
        "someone's appearance, race, ethnicity or religion is not a reason to suspect "
        "them. What did you see them do, where, and when? You can describe them "
        "afterwards, in the description."
    )


@pytest.mark.parametrize(
    "behaviour",
    [
        "Someone wearing gloves tried my car door.",
        "Black teenager on a bike riding slowly and staring at houses",
        "Dos hombres en una moto dando vueltas y mirando los portales",
    ],
)
def test_an_action_outweighs_appearance_or_vague_words_around_it(behaviour):
    assert rule_for(behaviour) == ""


def test_not_recognising_someone_is_not_a_reason_on_its_own():
    assert rule_for("Someone I don't recognise, never seen him here before") == ("appearance_only")
