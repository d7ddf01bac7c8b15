from django.urls import path

from citywatch.commons import tip_views, views

app_name = "commons"
urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("review/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("deployments/<slug:slug>/propose/", views.propose_edit, name="propose_edit"),
    path("deployments/<slug:slug>/history/", views.deployment_history, name="history"),
    path(
        "deployments/<slug:slug>/history/<int:history_id>/revert/",
        views.revert_deployment,
        name="revert",
    ),
    path("account/", views.account, name="account"),
    path("tips/new/", tip_views.tip_new, name="tip_new"),
    path("tips/thanks/", tip_views.tip_thanks, name="tip_thanks"),
    path("review/tips/<int:pk>/", tip_views.tip_review, name="tip_review"),
    path("review/tips/<int:pk>/file/", tip_views.tip_file, name="tip_file"),
]
