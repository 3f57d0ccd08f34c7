"""Dialogs and message boxes, each opened with open() so that nothing blocks."""
