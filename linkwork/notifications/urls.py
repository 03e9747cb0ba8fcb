from django.urls import path

from linkwork.notifications import views

urlpatterns = [
    path("me/notifications/", views.preferences, name="notification-preferences"),
    path("notify/callbacks/", views.notify_callback, name="notify-callback"),
]
