/**
 * Chromium's flags, fixed in one place because they are part of the render fingerprint: a change
 * here can change pixels.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Windows that lose focus or sit behind others must keep painting.
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
];

/**
 * The farm's browsers are sealed for every target (popups, workers, WebRTC, preconnects), not only
 * the chart page whose requests are intercepted: no name resolves, every connection must go through
 * a proxy that does not exist (loopback included), and WebRTC may not send UDP of its own. They
 * change no pixel but are part of the fingerprint; a plain browser that must reach a local server
 * (tests of the farm's own pages) launches without them.
 */
export const SEALED_NETWORK_FLAGS: readonly string[] = [
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=http://no-proxy.invalid:9',
  '--proxy-bypass-list=<-loopback>',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--dns-prefetch-disable',
];
