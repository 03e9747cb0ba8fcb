from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "linkwork.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from linkwork.directory import signals

        signals.connect()
