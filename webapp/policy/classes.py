"""Policy for exchange classes: publishing, booking, checking in, 送教 requests."""
