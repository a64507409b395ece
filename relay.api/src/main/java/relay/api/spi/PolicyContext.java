package relay.api.spi;

import org.osgi.annotation.versioning.ProviderType;

import relay.api.BareJid;

/**
 * What the relay tells a {@link RelayPolicy} about its current state while it evaluates a
 * request. Valid only during that call. The relay evaluates policies for one user one
 * request at a time, so the counts cannot change under the policy's feet because of
 * another request by the same user.
 */
@ProviderType
public interface PolicyContext {

    /**
     * @param user a user
     * @return how many live channels that user owns now
     */
    int liveChannels(BareJid user);

    /** @return how many live channels the relay holds now, all users together */
    int liveChannels();
}
