package dev.switchboard.history.rest;

import dev.switchboard.history.call.CallNotFoundException;
import dev.switchboard.history.call.HistoryException;
import dev.switchboard.history.call.InvalidRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The one translation of history errors into HTTP: a status and a message a person can act on. */
@Provider
public class HistoryExceptionMapper implements ExceptionMapper<HistoryException> {

    public record ErrorBody(String error, String message) {
    }

    @Override
    public Response toResponse(HistoryException exception) {
        return switch (exception) {
            case InvalidRequestException invalid -> respond(Response.Status.BAD_REQUEST, "invalidRequest", invalid);
            case CallNotFoundException notFound -> respond(Response.Status.NOT_FOUND, "notFound", notFound);
        };
    }

    private static Response respond(Response.Status status, String error, HistoryException exception) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(error, exception.getMessage()))
                .build();
    }
}
