package dev.switchboard.history.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.contracts.json.Json;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** The REST API writes JSON as every Switchboard component does: ISO-8601 times, absent values left out. */
@Singleton
public class JsonSettings implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }
}
