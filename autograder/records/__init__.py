"""The term's facts: what a run takes in (intake: submissions, roster, LMS zips), the gradebook, final grades,
deadlines, hand scores, named mistakes, shards and LMS identity; and the one safe CSV writer."""
