from django.urls import path

from citywatch.core.public_keys import register_url_converter
from citywatch.foi import views

register_url_converter()

app_name = "foi"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("deadline/", views.deadline_calculator, name="deadline"),
    path("laws/<slug:law_id>/", views.law_detail, name="law"),
    path("calendars/", views.calendar_list, name="calendars"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("mail/", views.unmatched_list, name="unmatched"),
    path("mail/<int:pk>/", views.unmatched_detail, name="unmatched_detail"),
    path("<int:number>/", views.request_by_number, name="request_by_number"),
    path("<pubkey:key>/", views.request_detail, name="detail"),
    path("<pubkey:key>/<slug:action>/", views.request_action, name="action"),
]
