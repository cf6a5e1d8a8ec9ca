package dev.switchboard.emulator.objects;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.emulator.protocol.KmsError;
import dev.switchboard.emulator.protocol.KmsException;
import java.util.UUID;

/** The types the emulator can create, with KMS's id scheme: {@code <uuid>_kurento.<Type>}, elements under their pipeline. */
public final class Factories {

    private Factories() {
    }

    public static MediaObjectImpl create(MediaSet mediaSet, String type, JsonNode constructorParams, String sessionId) {
        if (!type.equals("MediaPipeline") && !type.equals("WebRtcEndpoint") && !type.equals("PassThrough")) {
            throw KmsException.of(KmsError.MEDIA_OBJECT_NOT_AVAILABLE, "Factory '" + type + "' not found");
        }
        Args args = Args.decode(Kmd.get().constructor(type), constructorParams, mediaSet, false);
        String ownId = UUID.randomUUID() + "_kurento." + type;
        MediaObjectImpl created = switch (type) {
            case "MediaPipeline" -> new MediaPipelineImpl(mediaSet, ownId);
            case "WebRtcEndpoint" -> {
                MediaPipelineImpl pipeline = args.object("mediaPipeline", MediaPipelineImpl.class);
                yield new WebRtcEndpointImpl(mediaSet, pipeline.id() + "/" + ownId, pipeline, args);
            }
            default -> {
                MediaPipelineImpl pipeline = args.object("mediaPipeline", MediaPipelineImpl.class);
                yield new PassThroughImpl(mediaSet, pipeline.id() + "/" + ownId, pipeline);
            }
        };
        return mediaSet.adopt(created, sessionId);
    }
}
