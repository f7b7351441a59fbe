// Zone resolution is shared with broadcasts' recipient-local time: it lives with contacts.
export { isValidZone, zoneOfContact, zoneOfCountry, type ZonedContact } from '@clarion/contacts';
