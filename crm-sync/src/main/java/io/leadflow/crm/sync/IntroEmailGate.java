package io.leadflow.crm.sync;

import io.leadflow.avro.LeadRouted;

/**
 * Whether crm-sync may write to a lead at all: consulted before an introduction email is drafted (the owner's HubSpot
 * task) or sent (SMTP). A person who asked to be erased must never get one, so the erasure list answers here; the
 * default allows everyone. Declare a bean of this type to replace it.
 */
@FunctionalInterface
interface IntroEmailGate {

    IntroEmailGate ALLOW_ALL = lead -> true;

    boolean allows(LeadRouted lead);
}
