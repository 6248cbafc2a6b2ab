// Behaviour of the "transfers" pages. No inline scripts anywhere: the Content-Security-Policy forbids them.
