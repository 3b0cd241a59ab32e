"""The tuning data set: examples of a photo's reading turned into a brief, in the providers' formats,
built, checked, grown from listeners' ratings, and used to measure a briefer."""
