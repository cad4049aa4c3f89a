-- The alert feed carries more kinds of events: on-stream analytics (offline/online, idling, harsh
-- driving), vehicle diagnostics (battery, power, fault codes, fuel), retractions of events that later
-- history contradicts, and notices about the fleet's integrations.
ALTER TABLE vehicle_events DROP CONSTRAINT vehicle_events_type_check;
ALTER TABLE vehicle_events ADD CONSTRAINT vehicle_events_type_check CHECK (type IN (
    'trip_started', 'trip_ended', 'stop',
    'geofence_entered', 'geofence_exited',
    'overspeed',
    'device_offline', 'device_online',
    'idling_started', 'idling_ended',
    'harsh_braking', 'harsh_acceleration', 'harsh_cornering',
    'battery_low', 'power_cut', 'fault_code', 'fuel_drop',
    'event_retracted',
    'webhook_disabled'));
