package io.fleetline.api.live;

import io.fleetline.api.auth.CallerFleet;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The live stream of the caller's fleet: position updates and vehicle events as they happen. */
@RestController
@Tag(name = "Live", description = "Server-sent events")
@ConditionalOnProperty(name = "fleetline.api.live.enabled", matchIfMissing = true)
class LiveController {

  private final LiveHub hub;
  private final CallerFleet callerFleet;

  LiveController(LiveHub hub, CallerFleet callerFleet) {
    this.hub = hub;
    this.callerFleet = callerFleet;
  }

  @GetMapping(path = "/api/v1/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ApiResponse(
      responseCode = "200",
      description = "events named position and event, each with an id for Last-Event-ID",
      content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")))
  @Operation(
      operationId = "streamLive",
      summary = "Stream the fleet's position updates and events (text/event-stream)")
  SseEmitter live(
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      Authentication caller) {
    return hub.subscribe(callerFleet.of(caller), caller.getName(), lastEventId);
  }
}
