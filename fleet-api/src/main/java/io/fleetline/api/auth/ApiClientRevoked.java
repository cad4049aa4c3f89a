package io.fleetline.api.auth;

/** An API client was revoked; its tokens must stop working. */
public record ApiClientRevoked(String clientId) {}
