from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from marquee.members import diary, lists, moderation, portability, views
from marquee.members.forms import ResetPasswordForm, ThrottledLoginForm

app_name = "members"
urlpatterns = [
    path("accounts/signup/", views.sign_up, name="sign-up"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            form_class=ThrottledLoginForm,
            template_name="members/login.html",
            redirect_authenticated_user=True,
            extra_context={"breadcrumbs": [("Home", "/"), ("Sign in", None)]},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="members/password_reset.html",
            email_template_name="members/password_reset_email.txt",
            subject_template_name="members/password_reset_subject.txt",
            success_url=reverse_lazy("members:password-reset-sent"),
        ),
        name="password-reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ResetPasswordForm,
            template_name="members/password_reset_confirm.html",
            success_url=reverse_lazy("members:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="members/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/export/", portability.export_page, name="export"),
    path("accounts/export/letterboxd.zip", portability.export_csv, name="export-csv"),
    path("accounts/export/marquee.json", portability.export_json, name="export-json"),
    path("accounts/import/", portability.import_page, name="import"),
    path("accounts/import/<int:pk>/", portability.settle_question, name="import-settle"),
    path("members/<str:username>/", views.profile, name="profile"),
    path("members/<str:username>/lists/<str:slug>/", lists.list_detail, name="list-detail"),
    path("watchlist/", views.watchlist, name="watchlist"),
    path("movies/<slug:slug>/watchlist/", views.toggle_watchlist, name="watchlist-toggle"),
    path("movies/<slug:slug>/add-to-list/", lists.add_to_list, name="add-to-list"),
    path("movies/<slug:slug>/log/", diary.log_viewing, name="log"),
    path("lists/", lists.my_lists, name="my-lists"),
    path("lists/new/", lists.edit_list, name="list-new"),
    path("lists/<int:pk>/edit/", lists.edit_list, name="list-edit"),
    path("lists/<int:pk>/delete/", lists.delete_list, name="list-delete"),
    path("lists/<int:pk>/items/<int:item>/", lists.change_item, name="list-item"),
    path("diary/", diary.diary, name="diary"),
    path("diary/<int:pk>/delete/", diary.delete_entry, name="diary-delete"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/reviews/<int:pk>/<str:kind>/", moderation.act, name="moderate"),
]
