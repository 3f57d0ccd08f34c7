"""The pages of the main window: the project list, a project, and its panes."""
