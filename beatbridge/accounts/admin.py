"""The admin for people and teams. Its forms keep the services' rules by calling them.

Officers and teams are public: saves and deletes here reach the public pages' caches
through PublicContentAdmin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beatbridge.accounts import services
from beatbridge.accounts.forms import AdminSignInForm, add_domain_error
from beatbridge.accounts.models import OfficerProfile, Role, TeamAssignment, User
from beatbridge.accounts.permissions import can_grant_roles
from beatbridge.errors import DomainError
from beatbridge.places.admin import PublicContentAdmin
from beatbridge.web.languages import LanguageCodesField

admin.site.login_form = AdminSignInForm


class _EmailFormMixin:
    """E-mail addresses are stored in lower case and unique whatever their case."""

    def clean_email(self) -> str:
        form: Any = self
        try:
            return services.normalise_new_email(
                form.cleaned_data.get("email", ""), user_id=form.instance.pk
            )
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


class UserAddForm(_EmailFormMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class UserEditForm(_EmailFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(PublicContentAdmin, DjangoUserAdmin):
    # Deleting an officer's account takes them off their teams.
    form = UserEditForm
    add_form = UserAddForm
    ordering = ("email",)
    list_display = ("email", "full_name", "role", "is_staff", "is_active", "date_joined")
    list_filter = ("role", "is_staff", "is_active", "preferred_language")
    search_fields = ("email", "full_name")
    raw_id_fields = ("home_neighbourhood",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "preferred_language", "home_neighbourhood")}),
        (_("Role and access"), {"fields": ("role", "is_active", "is_staff", "is_superuser")}),
        (
            _("Django permissions"),
            {"classes": ("collapse",), "fields": ("groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions"]
        # Roles change through grant_role: only an administrator, never their own.
        if not can_grant_roles(request.user) or (obj is not None and obj.pk == request.user.pk):
            readonly.append("role")
        return readonly

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        new_role = obj.role
        if "role" in form.changed_data:
            obj.role = form.initial.get("role", Role.RESIDENT) if change else Role.RESIDENT
        super().save_model(request, obj, form, change)
        if new_role != obj.role:
            services.grant_role(user=obj, role=new_role, granted_by=request.user)  # type: ignore[arg-type]


class TeamAssignmentForm(forms.ModelForm):
    """Checks an assignment with the same rules as ``services.assign_officer``."""

    class Meta:
        model = TeamAssignment
        fields = ("officer", "neighbourhood", "role", "starts_on", "ends_on")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # In the officer's inline the officer is the page's, not a field.
        officer = cleaned.get("officer") or getattr(self.instance, "officer", None)
        values = {
            "neighbourhood": cleaned.get("neighbourhood"),
            "role": cleaned.get("role"),
            "starts_on": cleaned.get("starts_on"),
        }
        if officer is None or None in values.values():
            return cleaned  # the missing field already has its error
        try:
            services.check_assignment(
                officer=officer,
                ends_on=cleaned.get("ends_on"),
                assignment_id=self.instance.pk,
                **values,
            )
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned


class TeamAssignmentInline(admin.TabularInline):
    model = TeamAssignment
    form = TeamAssignmentForm
    extra = 0
    raw_id_fields = ("neighbourhood",)
    ordering = ("-starts_on",)


class OfficerProfileForm(forms.ModelForm):
    class Meta:
        model = OfficerProfile
        fields = "__all__"  # noqa: DJ007
        field_classes = {"languages": LanguageCodesField}


@admin.register(OfficerProfile)
class OfficerProfileAdmin(PublicContentAdmin):
    form = OfficerProfileForm
    list_display = ("display_name", "rank", "force", "is_senior")
    list_filter = ("force", "is_senior")
    list_select_related = ("force",)
    search_fields = ("display_name", "user__email", "user__full_name")
    raw_id_fields = ("user",)
    inlines = (TeamAssignmentInline,)


class ServingFilter(admin.SimpleListFilter):
    title = _("serving")
    parameter_name = "serving"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("current", _("Current")), ("ended", _("Ended"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[TeamAssignment]
    ) -> QuerySet[TeamAssignment]:
        if self.value() == "current":
            return queryset.current()  # type: ignore[attr-defined, no-any-return]
        if self.value() == "ended":
            return queryset.filter(ends_on__lt=timezone.localdate())
        return queryset


@admin.register(TeamAssignment)
class TeamAssignmentAdmin(PublicContentAdmin):
    form = TeamAssignmentForm
    list_display = ("officer", "neighbourhood", "role", "starts_on", "ends_on")
    list_filter = ("role", "neighbourhood__force", ServingFilter)
    list_select_related = ("officer", "neighbourhood")
    search_fields = ("officer__display_name", "neighbourhood__name", "neighbourhood__code")
    raw_id_fields = ("officer", "neighbourhood")
    date_hierarchy = "starts_on"
