"""The term's facts: the gradebook, final grades, deadlines, hand scores, shards, submissions and LMS identity."""
