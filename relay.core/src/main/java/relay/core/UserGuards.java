package relay.core;

import relay.api.BareJid;

/**
 * One lock per user (striped): a user's requests are admitted one at a time, so two concurrent
 * requests can never both pass a quota of one, while different users never wait for each other
 * beyond a shared stripe.
 */
final class UserGuards {

    private static final int STRIPES = 256;

    private final Object[] stripes = new Object[STRIPES];

    UserGuards() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    Object of(BareJid user) {
        return stripes[Math.floorMod(user.hashCode(), STRIPES)];
    }
}
