from django.urls import path

from citywatch.commons import deal_views, tip_views, views
from citywatch.core.public_keys import register_url_converter

register_url_converter()

app_name = "commons"
urlpatterns = [
    # The deal page (before atlas's deployment pages in the URLconf, so "new" is never
    # read as a slug): a reviewer's save is applied, a contributor's becomes a proposal.
    path("deployments/new/", deal_views.deployment_new, name="deployment_new"),
    path("deployments/<slug:slug>/edit/", deal_views.deployment_edit, name="deployment_edit"),
    path("places/search.json", deal_views.place_search, name="place_search"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/proposals/<pubkey:key>/", views.proposal_detail, name="proposal"),
    path("deployments/<slug:slug>/propose/", views.propose_edit, name="propose_edit"),
    path("deployments/<slug:slug>/history/", views.deployment_history, name="history"),
    path(
        "deployments/<slug:slug>/history/<str:entry>/revert/",
        views.revert_deployment,
        name="revert",
    ),
    path("account/", views.account, name="account"),
    path("tips/new/", tip_views.tip_new, name="tip_new"),
    path("tips/thanks/", tip_views.tip_thanks, name="tip_thanks"),
    path("review/tips/<pubkey:key>/", tip_views.tip_review, name="tip_review"),
    path("review/tips/<pubkey:key>/file/", tip_views.tip_file, name="tip_file"),
]
