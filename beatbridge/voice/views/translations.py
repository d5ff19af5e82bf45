"""The team's translation page: an item's original texts, and per language a form for its
translation. Each form posts, then redirects (PRG); a refusal shows on its field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beatbridge.voice.forms.translations import TranslationForm, fields_to_translate
from beatbridge.voice.models import ActionItem, Event, Meeting, Priority, PriorityUpdate
from beatbridge.voice.selectors import translations as selectors
from beatbridge.voice.services.translations import set_translation
from beatbridge.web.languages import language_name
from beatbridge.web.models import TranslatedContent
from beatbridge.web.views import domain_errors_as_http


def _team_page_of(item: TranslatedContent) -> str:
    """Where the team works on ``item``, to go back to."""
    if isinstance(item, Priority):
        return reverse("voice:manage_priority", kwargs={"priority_id": item.pk})
    if isinstance(item, PriorityUpdate):
        return reverse("voice:manage_priority", kwargs={"priority_id": item.priority_id})
    if isinstance(item, Meeting):
        return reverse("voice:manage_meeting", kwargs={"pk": item.pk})
    if isinstance(item, ActionItem):
        return reverse("voice:manage_meeting", kwargs={"pk": item.meeting_id})
    if isinstance(item, Event):
        # The event's team actions are on its page.
        return reverse("voice:event", kwargs={"pk": item.pk})
    raise TypeError(type(item).__name__)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def translate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = selectors.get_translatable_for_manager(request.user, kind, pk)
    bound = None
    if request.method == "POST":
        language = request.POST.get("language", "")
        bound = TranslationForm(request.POST, item=item, language=language)
        if bound.is_valid():
            saved = bound.call_service(
                set_translation,
                by=request.user,
                item=item,
                language=language,
                texts=bound.cleaned_data,
            )
            if saved is not None:
                messages.success(
                    request,
                    _("The %(language)s translation is saved.")
                    % {"language": language_name(language)},
                )
                return redirect(f"{request.path}#translation-{selectors.base_language(language)}")
    languages = [
        {
            "code": code,
            "name": language_name(code),
            "form": bound
            if bound is not None and bound.prefix == code
            else TranslationForm(item=item, language=code),
        }
        for code in selectors.languages_for(item)
    ]
    # A refusal of a language the page does not offer has no form of its own to show on.
    stray = (
        bound if bound is not None and all(row["form"] is not bound for row in languages) else None
    )
    context = {
        "item": item,
        "back": _team_page_of(item),
        "original_language": language_name(item.original_language)
        if item.original_language
        else "",
        "originals": [
            (item._meta.get_field(field).verbose_name, getattr(item, field))
            for field in fields_to_translate(item)
        ],
        "languages": languages,
        "bound": bound,
        "stray": stray,
    }
    status = 400 if bound is not None else 200
    return render(request, "voice/translations/translate.html", context, status=status)
