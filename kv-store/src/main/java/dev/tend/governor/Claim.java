package dev.tend.governor;

import java.time.Instant;

/**
 * A claimed slot of a governor.
 *
 * @param slot     the slot's number, from 1
 * @param holder   who claimed it (their own description: host, process, machine)
 * @param since    when it was claimed, in the store's time
 * @param revision the claim's revision in the governor's bucket
 * @param expired  older than the hold time: the next claimant may take it over
 */
public record Claim(int slot, String holder, Instant since, long revision, boolean expired) {
}
