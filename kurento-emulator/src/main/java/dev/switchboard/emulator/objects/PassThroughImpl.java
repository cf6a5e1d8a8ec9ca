package dev.switchboard.emulator.objects;

import dev.switchboard.emulator.media.MediaType;
import java.util.Set;

/** A PassThrough: whatever reaches its sink leaves through its source. */
public final class PassThroughImpl extends MediaElementImpl {

    PassThroughImpl(MediaSet mediaSet, String id, MediaPipelineImpl pipeline) {
        super(mediaSet, id, "PassThrough", pipeline);
    }

    @Override
    Set<MediaType> ownMedia() {
        return Set.of();
    }

    @Override
    boolean relaysMedia() {
        return true;
    }
}
