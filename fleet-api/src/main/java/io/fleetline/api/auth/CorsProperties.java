package io.fleetline.api.auth;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access for browser clients ({@code fleetline.api.cors.*}).
 *
 * @param allowedOrigins origins such as {@code https://map.example.com}; none by default
 * @param maxAge how long browsers may cache a preflight answer
 */
@ConfigurationProperties("fleetline.api.cors")
record CorsProperties(
    @DefaultValue({}) List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {}
