package clock

// The bank's time zone must load on machines without a system zoneinfo database.
import _ "time/tzdata"
