from django.urls import path

from citywatch.foi import views

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
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.request_action, name="action"),
]
