from django.urls import path

from . import views

app_name = "cases"

case = "<uuid:public_id>/"
urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.case_create, name="create"),
    path("cijfers/", views.organisation_figures, name="figures"),
    path("hulpkaarten/", views.received_cards, name="received_cards"),
    path("hulpkaarten/<uuid:public_id>/", views.received_card, name="received_card"),
    path(case, views.case_detail, name="detail"),
    path(case + "wijzigen/", views.case_edit, name="edit"),
    path(case + "afsluiten/", views.case_close, name="close"),
    path(case + "heropenen/", views.case_reopen, name="reopen"),
    path(case + "verblijf/", views.residence, name="residence"),
    path(case + "tijdlijn/", views.timeline, name="timeline"),
    path(case + "tijdlijn/<int:pk>/corrigeren/", views.event_correct, name="event_correct"),
    path(case + "team/", views.team, name="team"),
    path(case + "team/toevoegen/", views.member_add, name="member_add"),
    path(case + "team/<int:pk>/", views.member_edit, name="member_edit"),
    path(case + "team/<int:pk>/stoppen/", views.member_end, name="member_end"),
    path(case + "team/<int:pk>/opnieuw-toetsen/", views.member_recheck, name="member_recheck"),
    path(case + "achtervang/", views.backup_set, name="backup"),
    path(case + "overdracht/", views.handover_offer, name="handover_offer"),
    path(case + "overdracht/<int:pk>/", views.handover_detail, name="handover"),
    path(case + "hulp/", views.help_tab, name="help"),
    path(case + "hulp/zoeken/", views.referral_search, name="referral_search"),
    path(case + "hulp/verwijzen/<slug:offer_key>/", views.referral_create, name="referral_create"),
    path(case + "hulp/verwijzingen/<int:pk>/", views.referral_detail, name="referral"),
    path(case + "hulp/plaatsing/", views.placement_create, name="placement_create"),
    path(case + "hulp/plaatsingen/<int:pk>/", views.placement_detail, name="placement"),
    path(case + "overleg/", views.meetings, name="meetings"),
    path(case + "overleg/nieuw/", views.meeting_create, name="meeting_create"),
    path(case + "overleg/<int:pk>/", views.meeting_detail, name="meeting"),
    path(case + "taken/", views.tasks, name="tasks"),
    path(case + "taken/nieuw/", views.task_create, name="task_create"),
    path(case + "taken/<int:pk>/", views.task_detail, name="task"),
    path(case + "nazorg/", views.aftercare, name="aftercare"),
    path(case + "hulpkaart/", views.crisis_card, name="crisis_card"),
    path(case + "hulpkaart/afdrukken/", views.crisis_card_print, name="crisis_card_print"),
    path(case + "hulpkaart/delen/", views.crisis_card_share, name="crisis_card_share"),
    path(
        case + "hulpkaart/gedeeld/<int:pk>/stoppen/",
        views.crisis_card_revoke,
        name="crisis_card_revoke",
    ),
    path(case + "voor-de-persoon/", views.easy_read, name="easy_read"),
]
