from django import forms

from marquee.members.models import ReportReason
from marquee.reviews.models import BODY_MAX, TITLE_MAX, Review


def stars(score: int) -> str:
    """4 → "★★", 7 → "★★★½"."""
    return "★" * (score // 2) + ("½" if score % 2 else "")


STAR_CHOICES = [(score, f"{stars(score)} ({score / 2:g} of 5)") for score in range(1, 11)]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=STAR_CHOICES, coerce=int, empty_value=None, required=False, label="Your rating"
    )


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        choices=[("", "No rating"), *STAR_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        label="Your rating",
    )

    class Meta:
        model = Review
        fields = ["title", "body", "contains_spoilers"]
        labels = {"contains_spoilers": "This review contains spoilers"}
        help_texts = {"body": "Markdown: *italics*, **bold**, [links](https://…), > quotes."}
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": TITLE_MAX}),
            "body": forms.Textarea(attrs={"rows": 10, "maxlength": BODY_MAX}),
        }
        error_messages = {
            "title": {
                "max_length": f"Keep the title to {TITLE_MAX} characters (it has %(show_value)d)."
            },
        }

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if len(body) > BODY_MAX:
            raise forms.ValidationError(
                f"Reviews can be up to {BODY_MAX:,} characters; this one has {len(body):,}."
            )
        if not body:
            raise forms.ValidationError("Write something, or just rate the film instead.")
        return body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=ReportReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(max_length=500, required=False, label="Anything to add (optional)")
