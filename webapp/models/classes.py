"""Exchange classes (公开课, 示范课, 同课异构, 送教下乡, 三个课堂), bookings and 送教 requests."""
