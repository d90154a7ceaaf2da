from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm, UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from marquee.members import throttle
from marquee.members.models import (
    DISPLAY_NAME_MAX,
    NOTES_MAX,
    DiaryEntry,
    ListItem,
    MovieList,
    Profile,
)
from marquee.reviews.forms import STAR_CHOICES


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only for resetting your password; never shown.", max_length=254
    )
    display_name = forms.CharField(
        max_length=DISPLAY_NAME_MAX, required=False, help_text="Shown with your reviews."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("An account already uses this e-mail address.")
        return email

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            user.profile, _ = Profile.objects.update_or_create(
                member=user, defaults={"display_name": self.cleaned_data.get("display_name", "")}
            )
        return user


class ThrottledLoginForm(AuthenticationForm):
    """Django's sign-in form with throttling per account and per address (throttle.py)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match an account.",
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        locked = throttle.lockout(username, address)
        if locked:
            raise ValidationError(locked.message, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear_account(username, address)
        return cleaned


class ResetPasswordForm(SetPasswordForm):
    """Choosing a new password through the e-mailed link also lifts the account's lockout:
    whoever holds the mailbox is the owner, and the lockout message points here."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        throttle.clear_account(user.get_username(), "")
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "language", "is_public", "bio"]
        labels = {"is_public": "Public profile page", "language": "Preferred language"}
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX})}


class MovieListForm(forms.ModelForm):
    class Meta:
        model = MovieList
        fields = ["name", "notes", "is_public", "is_ranked"]
        labels = {"is_public": "Anyone with the link can see it", "is_ranked": "Numbered list"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX})}


class ListItemForm(forms.ModelForm):
    class Meta:
        model = ListItem
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2, "maxlength": NOTES_MAX})}


class DiaryForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        choices=[("", "No rating"), *STAR_CHOICES], coerce=int, empty_value=None, required=False
    )
    review = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Optional; Markdown. Saved as your review of the film.",
    )
    contains_spoilers = forms.BooleanField(required=False, label="The review contains spoilers")

    class Meta:
        model = DiaryEntry
        fields = ["watched_on", "rewatch", "rating"]
        widgets = {"watched_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"watched_on": "Watched on", "rewatch": "I had seen it before"}
