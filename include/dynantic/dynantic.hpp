#pragma once
/** @file
    The whole public API of dynantic. See README.md for a map of the headers. */

#include <dynantic/aws/credentials.hpp>
#include <dynantic/client.hpp>
#include <dynantic/codec/item.hpp>
#include <dynantic/codec/scalars.hpp>
#include <dynantic/codec/traits.hpp>
#include <dynantic/error.hpp>
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>
#include <dynantic/schema.hpp>
#include <dynantic/table.hpp>
