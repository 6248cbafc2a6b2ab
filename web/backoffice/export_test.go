package backoffice

// AuditActions are the actions the audit search offers, for the test that holds them to the catalogue's list.
var AuditActions = auditActions
