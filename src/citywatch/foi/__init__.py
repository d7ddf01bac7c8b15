"""The FOI desk: freedom-of-information laws, deadlines, requests and letters."""
