// The HTTP face of the server: the share API for the widget (docs/share-api.md), login and the
// inbox API for professionals, static folders (example site, widget, wasm engine, inbox page),
// security headers and limits. cpp-httplib 0.11.4 underneath; see TOOLCHAIN.md for its limits.
#ifndef KINDBAND_SERVER_HTTP_SERVER_H_
#define KINDBAND_SERVER_HTTP_SERVER_H_

#include <memory>
#include <string>

#include "config.h"
#include "kindband/engine.h"

namespace kindband::server {

class KindbandServer {
 public:
  // library must outlive the server.
  KindbandServer(ServerConfig config, const Library* library);
  ~KindbandServer();
  KindbandServer(const KindbandServer&) = delete;
  KindbandServer& operator=(const KindbandServer&) = delete;

  // Opens the database, applies configured organisations, starts the writer and binds the port.
  // Returns false with a message on any failure (nothing is left running).
  bool start(std::string* error);
  // The bound port (useful with port 0).
  int port() const;
  // Serves until stop() is called. Returns false if listening failed.
  bool run();
  // Stops accepting, finishes running requests and the writer's queue.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kindband::server

#endif  // KINDBAND_SERVER_HTTP_SERVER_H_
