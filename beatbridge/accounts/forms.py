"""Forms for the account pages: they parse input; the services decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts import selectors, services
from beatbridge.errors import DomainError, TooManyRequests
from beatbridge.limits import client_address
from beatbridge.places.models import Neighbourhood


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the field it names, or on the whole form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, forms.ValidationError(error.message, code=error.code))


class ServiceForm(forms.Form):
    """A form that hands its input to a service; a refusal shows on the field it names."""

    # 429 once a rate limit refused the input, so the page can answer with it.
    status = 200

    def call_service(self, service: Callable[..., Any], /, **arguments: Any) -> Any:
        """The service's result, or None once its refusal is on the form."""
        try:
            return service(**arguments)
        except DomainError as error:
            add_domain_error(self, error)
            if isinstance(error, TooManyRequests):
                self.status = error.status
            return None


class NeighbourhoodChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=selectors.neighbourhood_choices(),
            required=False,
            label=_("Home neighbourhood (optional)"),
            empty_label=_("None chosen"),
            help_text=_("Where you live or work; your profile links to its page."),
            **kwargs,
        )

    def label_from_instance(self, obj: Neighbourhood) -> str:
        return obj.name


class PersonalDetailsForm(ServiceForm):
    """What a person says about themselves: name, language and home neighbourhood."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[
            ("", _("Same as the page")),
            *((code, get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES),
        ],
        required=False,
    )
    home_neighbourhood = NeighbourhoodChoiceField()

    def personal_details(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("full_name", "preferred_language", "home_neighbourhood")
        }


class ProfileForm(PersonalDetailsForm):
    def save(self, user: Any) -> Any:
        return self.call_service(services.update_profile, user=user, **self.personal_details())


class SignUpForm(PersonalDetailsForm):
    """A resident's sign-up. There is no role field: staff roles are granted, never chosen."""

    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["email", "full_name", "password", "password_again"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords do not match."))
        return cleaned

    def save(self, *, client_address: str | None) -> Any:
        """The new account, or None with the service's refusal shown on its field."""
        return self.call_service(
            services.register_resident,
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password"],
            client_address=client_address,
            **self.personal_details(),
        )


class RateLimitedSignInMixin:
    """Authenticate through the rate-limited ``services.sign_in`` instead of directly."""

    # 429 when the refusal was for too many attempts, so the page can answer with it.
    status = 200

    def clean(self) -> dict[str, Any]:
        form: Any = self
        email = form.cleaned_data.get("username")
        password = form.cleaned_data.get("password")
        if email and password:
            try:
                form.user_cache = services.sign_in(
                    request=form.request,
                    email=email,
                    password=password,
                    client_address=client_address(form.request),
                )
            except TooManyRequests as error:
                self.status = error.status
                raise forms.ValidationError(error.message, code=error.code) from None
            except DomainError as error:
                raise forms.ValidationError(error.message, code=error.code) from None
            form.confirm_login_allowed(form.user_cache)
        return form.cleaned_data  # type: ignore[no-any-return]


class SignInForm(RateLimitedSignInMixin, AuthenticationForm):
    """Sign in by e-mail."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class AdminSignInForm(RateLimitedSignInMixin, AdminAuthenticationForm):
    """The admin's sign-in, under the same limits: it must not be a way around them."""


class LocalisedPasswordResetForm(PasswordResetForm):
    """Django's reset form, writing each e-mail in its reader's preferred language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        language = context["user"].preferred_language or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
