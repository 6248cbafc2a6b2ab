// Behaviour of the "profile" pages. No inline scripts anywhere: the Content-Security-Policy forbids them.
