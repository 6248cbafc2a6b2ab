// Behaviour of the "finances" pages. No inline scripts anywhere: the Content-Security-Policy forbids them.
