"""The one error type the shell turns into a single line and exit 1 (files have `yamlsrc.LoadError`)."""


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit 1."""
