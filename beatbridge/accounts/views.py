"""Account pages and the public officer profile: thin, parse, call a service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from beatbridge.accounts import selectors, services
from beatbridge.accounts.forms import (
    LocalisedPasswordResetForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
    add_domain_error,
)
from beatbridge.errors import NotFound, TooManyRequests
from beatbridge.limits import client_address


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (user := form.save(client_address=client_address(request))) is not None
    ):
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Beatbridge. Your account is ready."))
        return redirect("accounts:profile")
    return render(request, "accounts/sign_up.html", {"form": form}, status=form.status)


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        response.status_code = form.status
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "full_name": user.full_name,  # type: ignore[union-attr]
            "preferred_language": user.preferred_language,  # type: ignore[union-attr]
            "home_neighbourhood": user.home_neighbourhood_id,  # type: ignore[union-attr]
        },
    )
    if request.method == "POST" and form.is_valid() and form.save(user) is not None:
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def change_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, which also remembers a signed-in person's choice.

    The cookie keeps working for visitors; for a signed-in person the stored
    preference wins on every page (see the middleware), so it must change too.
    """
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.remember_language(user=request.user, language=language)  # type: ignore[arg-type]
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, under a limit per e-mail and per client (each request may send a mail)."""

    template_name = "accounts/password_reset_form.html"
    form_class = LocalisedPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: LocalisedPasswordResetForm) -> HttpResponse:
        try:
            services.count_password_reset(
                email=form.cleaned_data["email"], client_address=client_address(self.request)
            )
        except TooManyRequests as error:
            add_domain_error(form, error)
            response = self.form_invalid(form)
            response.status_code = error.status
            return response
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    """An officer's public profile: who they are, where they serve, where they served."""
    try:
        officer = selectors.get_public_officer(officer_id)
    except NotFound as error:
        raise Http404(error.message) from None
    record = selectors.service_record_of(officer)
    return render(request, "accounts/officer_detail.html", {"officer": officer, "record": record})
