"""What many tests share: the test databases, acting as a user, file permissions."""
