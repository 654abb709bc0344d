#pragma once
/** @file
    The whole public API of dynantic. See README.md for a map of the headers. */

#include <dynantic/aws/credentials.hpp>
#include <dynantic/client.hpp>
#include <dynantic/codec/bytes.hpp>
#include <dynantic/codec/containers.hpp>
#include <dynantic/codec/decimal.hpp>
#include <dynantic/codec/enum.hpp>
#include <dynantic/codec/item.hpp>
#include <dynantic/codec/limits.hpp>
#include <dynantic/codec/names.hpp>
#include <dynantic/codec/print.hpp>
#include <dynantic/codec/scalars.hpp>
#include <dynantic/codec/sets.hpp>
#include <dynantic/codec/time.hpp>
#include <dynantic/codec/traits.hpp>
#include <dynantic/codec/uuid.hpp>
#include <dynantic/error.hpp>
#include <dynantic/http/endpoint.hpp>
#include <dynantic/http/transport.hpp>
#include <dynantic/schema.hpp>
#include <dynantic/table.hpp>
